using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Parley.Server.Storage.Migrations;

/// <summary>Broadcast transfers and their tickets: issued (upload role) and consumed (broadcast role).</summary>
[DbContext(typeof(ParleyDbContext))]
[Migration("20261122000004_Broadcast")]
public sealed class M0004_Broadcast : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.AddColumn<bool>("ForBroadcast", "transfers", nullable: false, defaultValue: false);
        mb.AddColumn<string>("DeviceId", "transfers", nullable: true);
        mb.AddColumn<string>("Ticket", "transfers", nullable: true);

        mb.CreateTable("issued_tickets", t => new
        {
            TicketId = t.Column<string>(nullable: false),
            UserId = t.Column<string>(nullable: false),
            Ticket = t.Column<string>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_issued_tickets", x => x.TicketId));
        mb.CreateIndex("IX_issued_tickets_ExpiresAt", "issued_tickets", "ExpiresAt");

        mb.CreateTable("consumed_tickets", t => new
        {
            TicketId = t.Column<string>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_consumed_tickets", x => x.TicketId));
        mb.CreateIndex("IX_consumed_tickets_ExpiresAt", "consumed_tickets", "ExpiresAt");
    }

    protected override void Down(MigrationBuilder mb)
    {
        mb.DropTable("consumed_tickets");
        mb.DropTable("issued_tickets");
        foreach (var column in new[] { "ForBroadcast", "DeviceId", "Ticket" }) mb.DropColumn(column, "transfers");
    }
}
