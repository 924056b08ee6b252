using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ScannedSharing : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "IdentifierLibraryVersion",
                table: "transfers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Sealed",
                table: "transfers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "MediaQuarantined",
                table: "messages",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "RescanClaimedAt",
                table: "feature_library_versions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "RescannedAt",
                table: "feature_library_versions",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "quarantines",
                columns: table => new
                {
                    ContentId = table.Column<string>(type: "TEXT", nullable: false),
                    LibraryVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    Reasons = table.Column<string>(type: "TEXT", nullable: false),
                    QuarantinedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ReleasedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReleasedBy = table.Column<string>(type: "TEXT", nullable: true),
                    ReleasedAtVersion = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quarantines", x => x.ContentId);
                });

            migrationBuilder.CreateTable(
                name: "scan_verdicts",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    ContentId = table.Column<string>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    DeviceId = table.Column<string>(type: "TEXT", nullable: true),
                    FileName = table.Column<string>(type: "TEXT", nullable: true),
                    MediaType = table.Column<string>(type: "TEXT", nullable: false),
                    LibraryVersion = table.Column<long>(type: "INTEGER", nullable: false),
                    Passed = table.Column<bool>(type: "INTEGER", nullable: false),
                    Findings = table.Column<string>(type: "TEXT", nullable: false),
                    Timings = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_scan_verdicts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_scan_verdicts_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_scan_verdicts_ContentId_LibraryVersion",
                table: "scan_verdicts",
                columns: new[] { "ContentId", "LibraryVersion" });

            migrationBuilder.CreateIndex(
                name: "IX_scan_verdicts_CreatedAt",
                table: "scan_verdicts",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_scan_verdicts_UserId_CreatedAt",
                table: "scan_verdicts",
                columns: new[] { "UserId", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "quarantines");

            migrationBuilder.DropTable(
                name: "scan_verdicts");

            migrationBuilder.DropColumn(
                name: "IdentifierLibraryVersion",
                table: "transfers");

            migrationBuilder.DropColumn(
                name: "Sealed",
                table: "transfers");

            migrationBuilder.DropColumn(
                name: "MediaQuarantined",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "RescanClaimedAt",
                table: "feature_library_versions");

            migrationBuilder.DropColumn(
                name: "RescannedAt",
                table: "feature_library_versions");
        }
    }
}
