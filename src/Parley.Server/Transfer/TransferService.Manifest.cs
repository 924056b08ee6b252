using Microsoft.EntityFrameworkCore;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.Problems;
using Parley.Server.Storage;
using TransferRow = Parley.Server.Storage.Transfer;

namespace Parley.Server.Transfer;

/// <summary>
/// The chunk manifest: given with the announcement, or (content id first, docs/transfer.md) after the proof, once the
/// server said that bytes must travel, so that a dedup hit never costs the sender a manifest.
/// </summary>
public sealed partial class TransferService
{
    /// <summary>The problem codes of <see cref="SubmitManifest"/>, for the endpoint's OpenAPI declaration.</summary>
    public static readonly string[] ManifestRefusals =
    [
        ProblemCodes.TransferNotFound, ProblemCodes.TransferInvalidManifest, ProblemCodes.TransferWrongState, ProblemCodes.TransferManifestExists,
        ProblemCodes.UploadExists, .. FinishRefusals,
    ];

    /// <summary>
    /// Takes the manifest of a transfer in state <c>upload</c> that has none and no upload yet: the plan then lists the
    /// chunks this node lacks (those the sender may reuse, as when announced with it), and a plan with nothing left to
    /// upload is verified and delivered at once.
    /// </summary>
    public async Task<Outcome<TransferDto>> SubmitManifest(string userId, string transferId, ManifestRequest request, CancellationToken ct)
    {
        var transfer = await Find(userId, transferId, ct);
        if (transfer is null) return TransferNotFound();
        if (request.Chunks is not { } chunks || !IsConsistent(chunks, transfer.Size)) return InvalidManifest();
        if (transfer.State != TransferState.Upload)
            return new Refusal(ProblemCodes.TransferWrongState, "A manifest is taken only after the proof, while the transfer waits for its upload.");
        if (transfer.HasManifest) return new Refusal(ProblemCodes.TransferManifestExists, "This transfer has its manifest already.");
        if (await db.Uploads.AnyAsync(u => u.TransferId == transfer.Id, ct))
            return new Refusal(ProblemCodes.UploadExists, "The whole content is being uploaded already; resume that upload.");
        // One manifest per transfer, also against a second request racing this one.
        var claimed = await db.Transfers.Where(t => t.Id == transfer.Id && !t.HasManifest && t.State == TransferState.Upload)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.HasManifest, true), ct) == 1;
        if (!claimed) return new Refusal(ProblemCodes.TransferManifestExists, "This transfer has its manifest already.");

        var (rows, missingBytes) = await PlanChunks(transfer.Id, userId, chunks, ct);
        db.TransferChunks.AddRange(rows);
        transfer.HasManifest = true;
        transfer.UploadLength = missingBytes;
        var reusesChunks = rows.Any(r => !r.Missing);
        transfer.Dedup = reusesChunks ? DedupTier.Partial : DedupTier.None;
        // The answer kept at the proof is checked over the assembled content when chunks are reused (see ExpectUpload).
        if (!reusesChunks) transfer.ExpectedProof = null;
        await db.SaveChangesAsync(ct);
        if (transfer is { Dedup: DedupTier.Partial, UploadLength: 0 } && await Finish(transfer, null, ct) is { } failure) return failure;
        return await ToDto(transfer, ct);
    }

    private static Refusal InvalidManifest() => new(ProblemCodes.TransferInvalidManifest,
        $"Chunk ids must be content ids, lengths 1–{FastCdc.MaxSize}, adding up to the size, at most one per {FastCdc.MinSize} bytes.");

    private static bool IsConsistent(IReadOnlyList<ChunkDto> chunks, long size)
    {
        if (chunks.Count > size / FastCdc.MinSize + 1) return false;
        long total = 0;
        foreach (var chunk in chunks)
        {
            if (chunk is null || !ContentId.TryParse(chunk.Id, out _) || chunk.Length is < 1 or > FastCdc.MaxSize) return false;
            total += chunk.Length;
        }
        return total == size;
    }

    /// <summary>
    /// The manifest's chunks, each marked missing unless this user may reuse it: only chunks of content
    /// the sender can already read (media in their rooms, or content they delivered themselves), since
    /// the plan says which chunks exist before any byte is proven.
    /// </summary>
    private async Task<(List<TransferChunk> Rows, long MissingBytes)> PlanChunks(string transferId, string userId, IReadOnlyList<ChunkDto> manifest, CancellationToken ct)
    {
        var ids = manifest.Select(c => c.Id).Distinct().ToList();
        var myRooms = db.RoomMembers.Where(m => m.UserId == userId).Select(m => m.RoomId);
        var readable = db.Messages.Where(m => m.MediaContentId != null && myRooms.Contains(m.RoomId)).Select(m => m.MediaContentId!)
            .Concat(db.Transfers.Where(t => t.UserId == userId && t.State == TransferState.Delivered).Select(t => t.ContentId));
        var known = (await db.BlobChunks.Where(c => ids.Contains(c.ChunkId) && readable.Contains(c.BlobId)).Select(c => c.ChunkId).Distinct().ToListAsync(ct))
            .ToHashSet();
        var rows = new List<TransferChunk>(manifest.Count);
        long missingBytes = 0;
        for (var i = 0; i < manifest.Count; i++)
        {
            var missing = !known.Contains(manifest[i].Id);
            if (missing) missingBytes += manifest[i].Length;
            rows.Add(new TransferChunk { TransferId = transferId, Index = i, ChunkId = manifest[i].Id, Length = manifest[i].Length, Missing = missing });
        }
        return (rows, missingBytes);
    }
}
