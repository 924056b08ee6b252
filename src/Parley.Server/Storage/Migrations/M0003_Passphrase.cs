using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Parley.Server.Storage.Migrations;

/// <summary>Relayed passphrase handshakes and the encrypted frames of connected sessions.</summary>
[DbContext(typeof(ParleyDbContext))]
[Migration("20261122000003_Passphrase")]
public sealed class M0003_Passphrase : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.CreateTable("pake_sessions", t => new
        {
            Id = t.Column<string>(nullable: false),
            InitiatorId = t.Column<string>(nullable: false),
            ResponderId = t.Column<string>(nullable: true),
            Slot = t.Column<int>(nullable: true),
            CodeMode = t.Column<bool>(nullable: false),
            State = t.Column<string>(nullable: false),
            RequestShare = t.Column<byte[]>(nullable: false),
            AnswerShare = t.Column<byte[]>(nullable: true),
            AnswerConfirmation = t.Column<byte[]>(nullable: true),
            AnswerRandom = t.Column<byte[]>(nullable: true),
            ConfirmConfirmation = t.Column<byte[]>(nullable: true),
            ConfirmRandom = t.Column<byte[]>(nullable: true),
            RequestedAt = t.Column<long>(nullable: false),
            Failure = t.Column<string>(nullable: true),
            BlamedUserId = t.Column<string>(nullable: true),
            EndedAt = t.Column<long>(nullable: true),
            CodeSlot = t.Column<int>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_pake_sessions", x => x.Id));
        mb.CreateIndex("IX_pake_sessions_Slot", "pake_sessions", "Slot", unique: true);
        mb.CreateIndex("IX_pake_sessions_InitiatorId", "pake_sessions", "InitiatorId");
        mb.CreateIndex("IX_pake_sessions_ResponderId", "pake_sessions", "ResponderId");
        mb.CreateIndex("IX_pake_sessions_BlamedUserId", "pake_sessions", "BlamedUserId");

        mb.CreateTable("pake_frames", t => new
        {
            SessionId = t.Column<string>(nullable: false),
            Seq = t.Column<long>(nullable: false),
            SenderId = t.Column<string>(nullable: false),
            Frame = t.Column<byte[]>(nullable: false),
            SentAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_pake_frames", x => new { x.SessionId, x.Seq }));
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropTable("pake_frames");
        mb.DropTable("pake_sessions");
    }
}
