using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Parley.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "blob_chunks",
                columns: table => new
                {
                    BlobId = table.Column<string>(type: "text", nullable: false),
                    Index = table.Column<int>(type: "integer", nullable: false),
                    ChunkId = table.Column<string>(type: "text", nullable: false),
                    Offset = table.Column<long>(type: "bigint", nullable: false),
                    Length = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blob_chunks", x => new { x.BlobId, x.Index });
                });

            migrationBuilder.CreateTable(
                name: "blobs",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_blobs", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "chunks",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    Length = table.Column<int>(type: "integer", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_chunks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "consumed_tickets",
                columns: table => new
                {
                    TicketId = table.Column<string>(type: "text", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_consumed_tickets", x => x.TicketId);
                });

            migrationBuilder.CreateTable(
                name: "devices",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    PublicKey = table.Column<byte[]>(type: "bytea", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_devices", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "issued_tickets",
                columns: table => new
                {
                    TicketId = table.Column<string>(type: "text", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    Ticket = table.Column<string>(type: "text", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_issued_tickets", x => x.TicketId);
                });

            migrationBuilder.CreateTable(
                name: "messages",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    RoomId = table.Column<string>(type: "text", nullable: false),
                    Seq = table.Column<long>(type: "bigint", nullable: false),
                    SenderId = table.Column<string>(type: "text", nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    ClientMessageId = table.Column<string>(type: "text", nullable: true),
                    SentAt = table.Column<long>(type: "bigint", nullable: false),
                    MediaContentId = table.Column<string>(type: "text", nullable: true),
                    MediaSize = table.Column<long>(type: "bigint", nullable: true),
                    MediaType = table.Column<string>(type: "text", nullable: true),
                    MediaFileName = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "pake_frames",
                columns: table => new
                {
                    SessionId = table.Column<string>(type: "text", nullable: false),
                    Seq = table.Column<long>(type: "bigint", nullable: false),
                    SenderId = table.Column<string>(type: "text", nullable: false),
                    Frame = table.Column<byte[]>(type: "bytea", nullable: false),
                    SentAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pake_frames", x => new { x.SessionId, x.Seq });
                });

            migrationBuilder.CreateTable(
                name: "pake_sessions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    InitiatorId = table.Column<string>(type: "text", nullable: false),
                    ResponderId = table.Column<string>(type: "text", nullable: true),
                    Slot = table.Column<int>(type: "integer", nullable: true),
                    CodeMode = table.Column<bool>(type: "boolean", nullable: false),
                    State = table.Column<string>(type: "text", nullable: false),
                    RequestShare = table.Column<byte[]>(type: "bytea", nullable: false),
                    AnswerShare = table.Column<byte[]>(type: "bytea", nullable: true),
                    AnswerConfirmation = table.Column<byte[]>(type: "bytea", nullable: true),
                    AnswerRandom = table.Column<byte[]>(type: "bytea", nullable: true),
                    ConfirmConfirmation = table.Column<byte[]>(type: "bytea", nullable: true),
                    ConfirmRandom = table.Column<byte[]>(type: "bytea", nullable: true),
                    RequestedAt = table.Column<long>(type: "bigint", nullable: false),
                    Failure = table.Column<string>(type: "text", nullable: true),
                    BlamedUserId = table.Column<string>(type: "text", nullable: true),
                    EndedAt = table.Column<long>(type: "bigint", nullable: true),
                    CodeSlot = table.Column<int>(type: "integer", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pake_sessions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "room_invitations",
                columns: table => new
                {
                    RoomId = table.Column<string>(type: "text", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    InvitedBy = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_room_invitations", x => new { x.RoomId, x.UserId });
                });

            migrationBuilder.CreateTable(
                name: "room_members",
                columns: table => new
                {
                    RoomId = table.Column<string>(type: "text", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    JoinedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_room_members", x => new { x.RoomId, x.UserId });
                });

            migrationBuilder.CreateTable(
                name: "rooms",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    DirectKey = table.Column<string>(type: "text", nullable: true),
                    CreatedBy = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    LastSeq = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rooms", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "sessions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    TokenHash = table.Column<byte[]>(type: "bytea", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    DeviceId = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_sessions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "transfer_chunks",
                columns: table => new
                {
                    TransferId = table.Column<string>(type: "text", nullable: false),
                    Index = table.Column<int>(type: "integer", nullable: false),
                    ChunkId = table.Column<string>(type: "text", nullable: false),
                    Length = table.Column<int>(type: "integer", nullable: false),
                    Missing = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transfer_chunks", x => new { x.TransferId, x.Index });
                });

            migrationBuilder.CreateTable(
                name: "transfers",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    ContentId = table.Column<string>(type: "text", nullable: false),
                    Size = table.Column<long>(type: "bigint", nullable: false),
                    RoomId = table.Column<string>(type: "text", nullable: false),
                    FileName = table.Column<string>(type: "text", nullable: true),
                    MediaType = table.Column<string>(type: "text", nullable: false),
                    ForBroadcast = table.Column<bool>(type: "boolean", nullable: false),
                    DeviceId = table.Column<string>(type: "text", nullable: true),
                    Ticket = table.Column<string>(type: "text", nullable: true),
                    State = table.Column<string>(type: "text", nullable: false),
                    Dedup = table.Column<string>(type: "text", nullable: false),
                    HasManifest = table.Column<bool>(type: "boolean", nullable: false),
                    UploadLength = table.Column<long>(type: "bigint", nullable: false),
                    ChallengeNonce = table.Column<byte[]>(type: "bytea", nullable: true),
                    ChallengeRanges = table.Column<string>(type: "text", nullable: true),
                    ExpectedProof = table.Column<byte[]>(type: "bytea", nullable: true),
                    Proven = table.Column<bool>(type: "boolean", nullable: false),
                    MessageId = table.Column<string>(type: "text", nullable: true),
                    Failure = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_transfers", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "uploads",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    TransferId = table.Column<string>(type: "text", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    Length = table.Column<long>(type: "bigint", nullable: false),
                    Offset = table.Column<long>(type: "bigint", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false),
                    ExpiresAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_uploads", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    Id = table.Column<string>(type: "text", nullable: false),
                    UserName = table.Column<string>(type: "text", nullable: false),
                    PasswordHash = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_blob_chunks_ChunkId",
                table: "blob_chunks",
                column: "ChunkId");

            migrationBuilder.CreateIndex(
                name: "IX_consumed_tickets_ExpiresAt",
                table: "consumed_tickets",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_devices_PublicKey",
                table: "devices",
                column: "PublicKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_devices_UserId",
                table: "devices",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_issued_tickets_ExpiresAt",
                table: "issued_tickets",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_messages_MediaContentId",
                table: "messages",
                column: "MediaContentId");

            migrationBuilder.CreateIndex(
                name: "IX_messages_RoomId_SenderId_ClientMessageId",
                table: "messages",
                columns: new[] { "RoomId", "SenderId", "ClientMessageId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_messages_RoomId_Seq",
                table: "messages",
                columns: new[] { "RoomId", "Seq" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_pake_sessions_BlamedUserId",
                table: "pake_sessions",
                column: "BlamedUserId");

            migrationBuilder.CreateIndex(
                name: "IX_pake_sessions_InitiatorId",
                table: "pake_sessions",
                column: "InitiatorId");

            migrationBuilder.CreateIndex(
                name: "IX_pake_sessions_ResponderId",
                table: "pake_sessions",
                column: "ResponderId");

            migrationBuilder.CreateIndex(
                name: "IX_pake_sessions_Slot",
                table: "pake_sessions",
                column: "Slot",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_room_invitations_UserId",
                table: "room_invitations",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_room_members_UserId",
                table: "room_members",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_rooms_DirectKey",
                table: "rooms",
                column: "DirectKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sessions_TokenHash",
                table: "sessions",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_sessions_UserId",
                table: "sessions",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_transfer_chunks_ChunkId",
                table: "transfer_chunks",
                column: "ChunkId");

            migrationBuilder.CreateIndex(
                name: "IX_transfers_ContentId",
                table: "transfers",
                column: "ContentId");

            migrationBuilder.CreateIndex(
                name: "IX_transfers_State",
                table: "transfers",
                column: "State");

            migrationBuilder.CreateIndex(
                name: "IX_transfers_UserId",
                table: "transfers",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_uploads_TransferId",
                table: "uploads",
                column: "TransferId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_users_UserName",
                table: "users",
                column: "UserName",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "blob_chunks");

            migrationBuilder.DropTable(
                name: "blobs");

            migrationBuilder.DropTable(
                name: "chunks");

            migrationBuilder.DropTable(
                name: "consumed_tickets");

            migrationBuilder.DropTable(
                name: "devices");

            migrationBuilder.DropTable(
                name: "issued_tickets");

            migrationBuilder.DropTable(
                name: "messages");

            migrationBuilder.DropTable(
                name: "pake_frames");

            migrationBuilder.DropTable(
                name: "pake_sessions");

            migrationBuilder.DropTable(
                name: "room_invitations");

            migrationBuilder.DropTable(
                name: "room_members");

            migrationBuilder.DropTable(
                name: "rooms");

            migrationBuilder.DropTable(
                name: "sessions");

            migrationBuilder.DropTable(
                name: "transfer_chunks");

            migrationBuilder.DropTable(
                name: "transfers");

            migrationBuilder.DropTable(
                name: "uploads");

            migrationBuilder.DropTable(
                name: "users");
        }
    }
}
