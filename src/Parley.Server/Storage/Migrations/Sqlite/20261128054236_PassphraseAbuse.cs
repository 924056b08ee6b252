using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PassphraseAbuse : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "BlamedAt",
                table: "pake_sessions",
                type: "INTEGER",
                nullable: true);

            // Charges made before this migration were made when the session ended.
            migrationBuilder.Sql("""UPDATE "pake_sessions" SET "BlamedAt" = "EndedAt" WHERE "BlamedUserId" IS NOT NULL""");

            migrationBuilder.CreateTable(
                name: "pake_claims",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    Slot = table.Column<int>(type: "INTEGER", nullable: false),
                    ClaimedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Missed = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pake_claims", x => x.Id);
                    table.ForeignKey(
                        name: "FK_pake_claims_users_UserId",
                        column: x => x.UserId,
                        principalTable: "users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_pake_claims_UserId_ClaimedAt",
                table: "pake_claims",
                columns: new[] { "UserId", "ClaimedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pake_claims");

            migrationBuilder.DropColumn(
                name: "BlamedAt",
                table: "pake_sessions");
        }
    }
}
