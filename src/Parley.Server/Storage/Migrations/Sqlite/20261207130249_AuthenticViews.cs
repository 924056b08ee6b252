using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AuthenticViews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "plays",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    DeviceId = table.Column<string>(type: "TEXT", nullable: false),
                    MessageId = table.Column<string>(type: "TEXT", nullable: false),
                    RoomId = table.Column<string>(type: "TEXT", nullable: false),
                    ContentId = table.Column<string>(type: "TEXT", nullable: false),
                    ClientShare = table.Column<string>(type: "TEXT", nullable: true),
                    KeyBytes = table.Column<byte[]>(type: "BLOB", nullable: false),
                    AccessHash = table.Column<byte[]>(type: "BLOB", nullable: false),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LastReportAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Verdict = table.Column<string>(type: "TEXT", nullable: false),
                    Reasons = table.Column<string>(type: "TEXT", nullable: false),
                    Counted = table.Column<bool>(type: "INTEGER", nullable: false),
                    WatchedShare = table.Column<double>(type: "REAL", nullable: false),
                    BytesServed = table.Column<long>(type: "INTEGER", nullable: false),
                    BytesReported = table.Column<long>(type: "INTEGER", nullable: false),
                    SealedReports = table.Column<int>(type: "INTEGER", nullable: false),
                    PlainReports = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plays", x => x.Id);
                    table.ForeignKey(
                        name: "FK_plays_devices_DeviceId",
                        column: x => x.DeviceId,
                        principalTable: "devices",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_plays_messages_MessageId",
                        column: x => x.MessageId,
                        principalTable: "messages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_plays_rooms_RoomId",
                        column: x => x.RoomId,
                        principalTable: "rooms",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_plays_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "video_probes",
                columns: table => new
                {
                    ContentId = table.Column<string>(type: "TEXT", nullable: false),
                    DurationMs = table.Column<long>(type: "INTEGER", nullable: true),
                    BitRate = table.Column<long>(type: "INTEGER", nullable: true),
                    ProbedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_video_probes", x => x.ContentId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_plays_ClientShare",
                table: "plays",
                column: "ClientShare",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_plays_DeviceId",
                table: "plays",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_plays_MessageId_Counted",
                table: "plays",
                columns: new[] { "MessageId", "Counted" });

            migrationBuilder.CreateIndex(
                name: "IX_plays_MessageId_EndedAt",
                table: "plays",
                columns: new[] { "MessageId", "EndedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_plays_RoomId",
                table: "plays",
                column: "RoomId");

            migrationBuilder.CreateIndex(
                name: "IX_plays_UserId_ContentId",
                table: "plays",
                columns: new[] { "UserId", "ContentId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "plays");

            migrationBuilder.DropTable(
                name: "video_probes");
        }
    }
}
