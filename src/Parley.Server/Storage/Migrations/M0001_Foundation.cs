using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Parley.Server.Storage.Migrations;

/// <summary>
/// Accounts, devices, sessions, rooms and messages. Written by hand (the EF command-line tool is
/// not available on the package source); <c>MigrationSchemaTests</c> checks it builds the schema the model expects.
/// Instants are stored as ticks (see <see cref="ParleyDbContext.ConfigureConventions"/>).
/// </summary>
[DbContext(typeof(ParleyDbContext))]
[Migration("20261122000001_Foundation")]
public sealed class M0001_Foundation : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.CreateTable("users", t => new
        {
            Id = t.Column<string>(nullable: false),
            UserName = t.Column<string>(nullable: false),
            PasswordHash = t.Column<string>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_users", x => x.Id));
        mb.CreateIndex("IX_users_UserName", "users", "UserName", unique: true);

        mb.CreateTable("devices", t => new
        {
            Id = t.Column<string>(nullable: false),
            UserId = t.Column<string>(nullable: false),
            Name = t.Column<string>(nullable: false),
            PublicKey = t.Column<byte[]>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_devices", x => x.Id));
        mb.CreateIndex("IX_devices_UserId", "devices", "UserId");
        mb.CreateIndex("IX_devices_PublicKey", "devices", "PublicKey", unique: true);

        mb.CreateTable("sessions", t => new
        {
            Id = t.Column<string>(nullable: false),
            TokenHash = t.Column<byte[]>(nullable: false),
            UserId = t.Column<string>(nullable: false),
            DeviceId = t.Column<string>(nullable: true),
            CreatedAt = t.Column<long>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_sessions", x => x.Id));
        mb.CreateIndex("IX_sessions_TokenHash", "sessions", "TokenHash", unique: true);
        mb.CreateIndex("IX_sessions_UserId", "sessions", "UserId");

        mb.CreateTable("rooms", t => new
        {
            Id = t.Column<string>(nullable: false),
            Name = t.Column<string>(nullable: false),
            Kind = t.Column<string>(nullable: false),
            DirectKey = t.Column<string>(nullable: true),
            CreatedBy = t.Column<string>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
            LastSeq = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_rooms", x => x.Id));
        mb.CreateIndex("IX_rooms_DirectKey", "rooms", "DirectKey", unique: true);

        mb.CreateTable("room_members", t => new
        {
            RoomId = t.Column<string>(nullable: false),
            UserId = t.Column<string>(nullable: false),
            JoinedAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_room_members", x => new { x.RoomId, x.UserId }));
        mb.CreateIndex("IX_room_members_UserId", "room_members", "UserId");

        mb.CreateTable("room_invitations", t => new
        {
            RoomId = t.Column<string>(nullable: false),
            UserId = t.Column<string>(nullable: false),
            InvitedBy = t.Column<string>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_room_invitations", x => new { x.RoomId, x.UserId }));
        mb.CreateIndex("IX_room_invitations_UserId", "room_invitations", "UserId");

        mb.CreateTable("messages", t => new
        {
            Id = t.Column<string>(nullable: false),
            RoomId = t.Column<string>(nullable: false),
            Seq = t.Column<long>(nullable: false),
            SenderId = t.Column<string>(nullable: false),
            Text = t.Column<string>(nullable: false),
            ClientMessageId = t.Column<string>(nullable: true),
            SentAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_messages", x => x.Id));
        mb.CreateIndex("IX_messages_RoomId_Seq", "messages", ["RoomId", "Seq"], unique: true);
        mb.CreateIndex("IX_messages_RoomId_SenderId_ClientMessageId", "messages", ["RoomId", "SenderId", "ClientMessageId"], unique: true);
    }

    protected override void Down(MigrationBuilder mb)
    {
        foreach (var table in new[] { "messages", "room_invitations", "room_members", "rooms", "sessions", "devices", "users" })
            mb.DropTable(table);
    }
}
