using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Parley.Server.Storage.Migrations;

/// <summary>Blobs stored as shared chunks, transfers with their manifests, tus uploads, media on messages.</summary>
[DbContext(typeof(ParleyDbContext))]
[Migration("20261122000002_Transfer")]
public sealed class M0002_Transfer : Migration
{
    protected override void Up(MigrationBuilder mb)
    {
        mb.AddColumn<string>("MediaContentId", "messages", nullable: true);
        mb.AddColumn<long>("MediaSize", "messages", nullable: true);
        mb.AddColumn<string>("MediaType", "messages", nullable: true);
        mb.AddColumn<string>("MediaFileName", "messages", nullable: true);
        mb.CreateIndex("IX_messages_MediaContentId", "messages", "MediaContentId");

        mb.CreateTable("blobs", t => new
        {
            Id = t.Column<string>(nullable: false),
            Size = t.Column<long>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_blobs", x => x.Id));

        mb.CreateTable("blob_chunks", t => new
        {
            BlobId = t.Column<string>(nullable: false),
            Index = t.Column<int>(nullable: false),
            ChunkId = t.Column<string>(nullable: false),
            Offset = t.Column<long>(nullable: false),
            Length = t.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_blob_chunks", x => new { x.BlobId, x.Index }));
        mb.CreateIndex("IX_blob_chunks_ChunkId", "blob_chunks", "ChunkId");

        mb.CreateTable("chunks", t => new
        {
            Id = t.Column<string>(nullable: false),
            Length = t.Column<int>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_chunks", x => x.Id));

        mb.CreateTable("transfers", t => new
        {
            Id = t.Column<string>(nullable: false),
            UserId = t.Column<string>(nullable: false),
            ContentId = t.Column<string>(nullable: false),
            Size = t.Column<long>(nullable: false),
            RoomId = t.Column<string>(nullable: false),
            FileName = t.Column<string>(nullable: true),
            MediaType = t.Column<string>(nullable: false),
            State = t.Column<string>(nullable: false),
            Dedup = t.Column<string>(nullable: false),
            HasManifest = t.Column<bool>(nullable: false),
            UploadLength = t.Column<long>(nullable: false),
            ChallengeNonce = t.Column<byte[]>(nullable: true),
            ChallengeRanges = t.Column<string>(nullable: true),
            ExpectedProof = t.Column<byte[]>(nullable: true),
            Proven = t.Column<bool>(nullable: false),
            MessageId = t.Column<string>(nullable: true),
            Failure = t.Column<string>(nullable: true),
            CreatedAt = t.Column<long>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_transfers", x => x.Id));
        mb.CreateIndex("IX_transfers_UserId", "transfers", "UserId");
        mb.CreateIndex("IX_transfers_ContentId", "transfers", "ContentId");
        mb.CreateIndex("IX_transfers_State", "transfers", "State");

        mb.CreateTable("transfer_chunks", t => new
        {
            TransferId = t.Column<string>(nullable: false),
            Index = t.Column<int>(nullable: false),
            ChunkId = t.Column<string>(nullable: false),
            Length = t.Column<int>(nullable: false),
            Missing = t.Column<bool>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_transfer_chunks", x => new { x.TransferId, x.Index }));
        mb.CreateIndex("IX_transfer_chunks_ChunkId", "transfer_chunks", "ChunkId");

        mb.CreateTable("uploads", t => new
        {
            Id = t.Column<string>(nullable: false),
            TransferId = t.Column<string>(nullable: false),
            UserId = t.Column<string>(nullable: false),
            Length = t.Column<long>(nullable: false),
            Offset = t.Column<long>(nullable: false),
            CreatedAt = t.Column<long>(nullable: false),
            ExpiresAt = t.Column<long>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_uploads", x => x.Id));
        mb.CreateIndex("IX_uploads_TransferId", "uploads", "TransferId", unique: true);
    }

    protected override void Down(MigrationBuilder mb)
    {
        foreach (var table in new[] { "uploads", "transfer_chunks", "transfers", "chunks", "blob_chunks", "blobs" })
            mb.DropTable(table);
        mb.DropIndex("IX_messages_MediaContentId", "messages");
        foreach (var column in new[] { "MediaContentId", "MediaSize", "MediaType", "MediaFileName" })
            mb.DropColumn(column, "messages");
    }
}
