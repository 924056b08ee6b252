using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EditsRepliesDeletions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ChangedSeq",
                table: "messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "DeletedAt",
                table: "messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "EditedAt",
                table: "messages",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "messages",
                type: "text",
                nullable: false,
                defaultValue: "Message");

            migrationBuilder.AddColumn<string>(
                name: "ReplyToId",
                table: "messages",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TargetId",
                table: "messages",
                type: "text",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_messages_ReplyToId",
                table: "messages",
                column: "ReplyToId");

            migrationBuilder.CreateIndex(
                name: "IX_messages_TargetId",
                table: "messages",
                column: "TargetId");

            migrationBuilder.AddForeignKey(
                name: "FK_messages_messages_ReplyToId",
                table: "messages",
                column: "ReplyToId",
                principalTable: "messages",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_messages_messages_TargetId",
                table: "messages",
                column: "TargetId",
                principalTable: "messages",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_messages_messages_ReplyToId",
                table: "messages");

            migrationBuilder.DropForeignKey(
                name: "FK_messages_messages_TargetId",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "IX_messages_ReplyToId",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "IX_messages_TargetId",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "ChangedSeq",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "DeletedAt",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "EditedAt",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "ReplyToId",
                table: "messages");

            migrationBuilder.DropColumn(
                name: "TargetId",
                table: "messages");
        }
    }
}
