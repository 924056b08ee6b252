using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ForeignKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_uploads_UserId",
                table: "uploads",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_transfers_RoomId",
                table: "transfers",
                column: "RoomId");

            migrationBuilder.CreateIndex(
                name: "IX_sessions_DeviceId",
                table: "sessions",
                column: "DeviceId");

            migrationBuilder.CreateIndex(
                name: "IX_rooms_CreatedBy",
                table: "rooms",
                column: "CreatedBy");

            migrationBuilder.CreateIndex(
                name: "IX_room_invitations_InvitedBy",
                table: "room_invitations",
                column: "InvitedBy");

            migrationBuilder.CreateIndex(
                name: "IX_pake_frames_SenderId",
                table: "pake_frames",
                column: "SenderId");

            migrationBuilder.CreateIndex(
                name: "IX_messages_SenderId",
                table: "messages",
                column: "SenderId");

            migrationBuilder.CreateIndex(
                name: "IX_issued_tickets_UserId",
                table: "issued_tickets",
                column: "UserId");

            migrationBuilder.AddForeignKey(
                name: "FK_blob_chunks_blobs_BlobId",
                table: "blob_chunks",
                column: "BlobId",
                principalTable: "blobs",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_blob_chunks_chunks_ChunkId",
                table: "blob_chunks",
                column: "ChunkId",
                principalTable: "chunks",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_devices_users_UserId",
                table: "devices",
                column: "UserId",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_issued_tickets_users_UserId",
                table: "issued_tickets",
                column: "UserId",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_messages_rooms_RoomId",
                table: "messages",
                column: "RoomId",
                principalTable: "rooms",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_messages_users_SenderId",
                table: "messages",
                column: "SenderId",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_pake_frames_pake_sessions_SessionId",
                table: "pake_frames",
                column: "SessionId",
                principalTable: "pake_sessions",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_pake_frames_users_SenderId",
                table: "pake_frames",
                column: "SenderId",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_pake_sessions_users_BlamedUserId",
                table: "pake_sessions",
                column: "BlamedUserId",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_pake_sessions_users_InitiatorId",
                table: "pake_sessions",
                column: "InitiatorId",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_pake_sessions_users_ResponderId",
                table: "pake_sessions",
                column: "ResponderId",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_room_invitations_rooms_RoomId",
                table: "room_invitations",
                column: "RoomId",
                principalTable: "rooms",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_room_invitations_users_InvitedBy",
                table: "room_invitations",
                column: "InvitedBy",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_room_invitations_users_UserId",
                table: "room_invitations",
                column: "UserId",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_room_members_rooms_RoomId",
                table: "room_members",
                column: "RoomId",
                principalTable: "rooms",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_room_members_users_UserId",
                table: "room_members",
                column: "UserId",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_rooms_users_CreatedBy",
                table: "rooms",
                column: "CreatedBy",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_sessions_devices_DeviceId",
                table: "sessions",
                column: "DeviceId",
                principalTable: "devices",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_sessions_users_UserId",
                table: "sessions",
                column: "UserId",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_transfer_chunks_transfers_TransferId",
                table: "transfer_chunks",
                column: "TransferId",
                principalTable: "transfers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_transfers_rooms_RoomId",
                table: "transfers",
                column: "RoomId",
                principalTable: "rooms",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_transfers_users_UserId",
                table: "transfers",
                column: "UserId",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_uploads_transfers_TransferId",
                table: "uploads",
                column: "TransferId",
                principalTable: "transfers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_uploads_users_UserId",
                table: "uploads",
                column: "UserId",
                principalTable: "users",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_blob_chunks_blobs_BlobId",
                table: "blob_chunks");

            migrationBuilder.DropForeignKey(
                name: "FK_blob_chunks_chunks_ChunkId",
                table: "blob_chunks");

            migrationBuilder.DropForeignKey(
                name: "FK_devices_users_UserId",
                table: "devices");

            migrationBuilder.DropForeignKey(
                name: "FK_issued_tickets_users_UserId",
                table: "issued_tickets");

            migrationBuilder.DropForeignKey(
                name: "FK_messages_rooms_RoomId",
                table: "messages");

            migrationBuilder.DropForeignKey(
                name: "FK_messages_users_SenderId",
                table: "messages");

            migrationBuilder.DropForeignKey(
                name: "FK_pake_frames_pake_sessions_SessionId",
                table: "pake_frames");

            migrationBuilder.DropForeignKey(
                name: "FK_pake_frames_users_SenderId",
                table: "pake_frames");

            migrationBuilder.DropForeignKey(
                name: "FK_pake_sessions_users_BlamedUserId",
                table: "pake_sessions");

            migrationBuilder.DropForeignKey(
                name: "FK_pake_sessions_users_InitiatorId",
                table: "pake_sessions");

            migrationBuilder.DropForeignKey(
                name: "FK_pake_sessions_users_ResponderId",
                table: "pake_sessions");

            migrationBuilder.DropForeignKey(
                name: "FK_room_invitations_rooms_RoomId",
                table: "room_invitations");

            migrationBuilder.DropForeignKey(
                name: "FK_room_invitations_users_InvitedBy",
                table: "room_invitations");

            migrationBuilder.DropForeignKey(
                name: "FK_room_invitations_users_UserId",
                table: "room_invitations");

            migrationBuilder.DropForeignKey(
                name: "FK_room_members_rooms_RoomId",
                table: "room_members");

            migrationBuilder.DropForeignKey(
                name: "FK_room_members_users_UserId",
                table: "room_members");

            migrationBuilder.DropForeignKey(
                name: "FK_rooms_users_CreatedBy",
                table: "rooms");

            migrationBuilder.DropForeignKey(
                name: "FK_sessions_devices_DeviceId",
                table: "sessions");

            migrationBuilder.DropForeignKey(
                name: "FK_sessions_users_UserId",
                table: "sessions");

            migrationBuilder.DropForeignKey(
                name: "FK_transfer_chunks_transfers_TransferId",
                table: "transfer_chunks");

            migrationBuilder.DropForeignKey(
                name: "FK_transfers_rooms_RoomId",
                table: "transfers");

            migrationBuilder.DropForeignKey(
                name: "FK_transfers_users_UserId",
                table: "transfers");

            migrationBuilder.DropForeignKey(
                name: "FK_uploads_transfers_TransferId",
                table: "uploads");

            migrationBuilder.DropForeignKey(
                name: "FK_uploads_users_UserId",
                table: "uploads");

            migrationBuilder.DropIndex(
                name: "IX_uploads_UserId",
                table: "uploads");

            migrationBuilder.DropIndex(
                name: "IX_transfers_RoomId",
                table: "transfers");

            migrationBuilder.DropIndex(
                name: "IX_sessions_DeviceId",
                table: "sessions");

            migrationBuilder.DropIndex(
                name: "IX_rooms_CreatedBy",
                table: "rooms");

            migrationBuilder.DropIndex(
                name: "IX_room_invitations_InvitedBy",
                table: "room_invitations");

            migrationBuilder.DropIndex(
                name: "IX_pake_frames_SenderId",
                table: "pake_frames");

            migrationBuilder.DropIndex(
                name: "IX_messages_SenderId",
                table: "messages");

            migrationBuilder.DropIndex(
                name: "IX_issued_tickets_UserId",
                table: "issued_tickets");
        }
    }
}
