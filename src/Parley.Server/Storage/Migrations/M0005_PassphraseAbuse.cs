using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Parley.Server.Storage.Migrations;

/// <summary>Passphrase abuse limits: when a session's guess was charged, and the claims of code slots.</summary>
[DbContext(typeof(ParleyDbContext))]
[Migration("20261128000005_PassphraseAbuse")]
public sealed class M0005_PassphraseAbuse : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.AddColumn<long>("BlamedAt", "pake_sessions", nullable: true);
        // Charges made before this migration were made when the session ended.
        // Quoted, so that the mixed-case names also hold on providers that fold unquoted ones.
        mb.Sql("""UPDATE "pake_sessions" SET "BlamedAt" = "EndedAt" WHERE "BlamedUserId" IS NOT NULL""");

        mb.CreateTable("pake_claims", t => new
        {
            Id = t.Column<string>(nullable: false),
            UserId = t.Column<string>(nullable: false),
            Slot = t.Column<int>(nullable: false),
            ClaimedAt = t.Column<long>(nullable: false),
            Missed = t.Column<bool>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_pake_claims", x => x.Id));
        mb.CreateIndex("IX_pake_claims_UserId_ClaimedAt", "pake_claims", ["UserId", "ClaimedAt"]);
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropTable("pake_claims");
        mb.DropColumn("BlamedAt", "pake_sessions");
    }
}
