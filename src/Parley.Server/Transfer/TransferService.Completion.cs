using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.Hosting;
using Parley.Server.Messaging;
using Parley.Server.Problems;
using Parley.Server.Rooms;
using Parley.Server.Scanning;
using Parley.Core.Scanning;
using Parley.Server.Storage;
using TransferRow = Parley.Server.Storage.Transfer;

namespace Parley.Server.Transfer;

/// <summary>
/// The end of a transfer: verify the bytes against the announced content (and the proof, when stored chunks were
/// reused), store them, deliver, and close. A mismatch stores nothing.
/// </summary>
public sealed partial class TransferService
{
    /// <summary>Called when an upload has all its bytes (or, after a restart, had them when the server stopped).</summary>
    public async Task<Refusal?> UploadCompleted(Upload upload, CancellationToken ct)
    {
        var transfer = await db.Transfers.SingleAsync(t => t.Id == upload.TransferId, ct);
        if (transfer.State != TransferState.Upload) return null;
        return await Finish(transfer, store.UploadPath(upload.Id), ct, upload.Id);
    }

    /// <summary>Verifies everything, screens it, then stores, then delivers: a mismatch or a block stores nothing.</summary>
    private async Task<Refusal?> Finish(TransferRow transfer, string? receivedPath, CancellationToken ct, string? uploadId = null)
    {
        var assembly = transfer.State == TransferState.Prove && transfer.Dedup == DedupTier.Local
            ? await AssembleStored(transfer, ct)
            : uploadId is not null && transfer.UploadLength == transfer.Size
                ? await AssembleStreamed(transfer, uploadId, receivedPath!, ct)
            : transfer.HasManifest && transfer.State == TransferState.Upload
                ? await AssembleFromManifest(transfer, receivedPath, ct)
                : await AssembleWhole(transfer, receivedPath!, ct);
        switch (assembly.Outcome)
        {
            case Verification.HashMismatch:
                await Fail(transfer, ProblemCodes.TransferHashMismatch, ct);
                return new Refusal(ProblemCodes.TransferHashMismatch,
                    "The bytes do not hash to the announced content id and size, or are not cut where the chunk manifest says; nothing was stored.");
            case Verification.ProofMismatch:
                await Fail(transfer, ProblemCodes.TransferProofFailed, ct);
                return new Refusal(ProblemCodes.TransferProofFailed, "The proof does not match the content: you need the file itself, not just its id.");
        }
        var (blocked, container) = await Screen(transfer, assembly.Bytes!, ct);
        if (blocked is not null) return blocked;
        await videoFacts.RecordAsync(transfer.ContentId, transfer.MediaType, transfer.Size, container, assembly.Bytes!.Open, ct);
        if (assembly.Store is { } keep) await SaveBlob(transfer, await keep(ct), ct);
        return await Deliver(transfer, ct);
    }

    private enum Verification { Verified, HashMismatch, ProofMismatch }

    /// <summary>
    /// Verified bytes (<see cref="Bytes"/>, for the second detection) and how to keep them (<see cref="Store"/>, writing
    /// the chunks and giving the blob's chunk list), which runs only once the share passed; null for a stored blob.
    /// </summary>
    private sealed record Assembly(
        Verification Outcome, ShareBytes? Bytes = null, Func<CancellationToken, Task<List<(string ChunkId, int Length)>>>? Store = null);

    /// <summary>
    /// The second detection (docs/scanning.md, "The share path") before the blob or any message or ticket exists; a
    /// block fails the transfer with <c>share.blocked</c>. Sealed bytes are ciphertext: only the sender's device saw them.
    /// A pass gives what the worker's FFmpeg read from a video's container, if it decoded one.
    /// </summary>
    private async Task<(Refusal? Blocked, ContainerFacts? Container)> Screen(TransferRow transfer, ShareBytes bytes, CancellationToken ct)
    {
        if (transfer.Sealed) return (null, null);
        var subject = new ShareSubject(transfer.ContentId, transfer.UserId, transfer.DeviceId, transfer.FileName ?? "", transfer.MediaType);
        var verdict = await screening.ScreenAsync(subject, bytes, ct);
        if (verdict.Passed) return (null, verdict.Container);
        await Fail(transfer, ProblemCodes.ShareBlocked, ct);
        return (new Refusal(ProblemCodes.ShareBlocked,
            $"The server's scan blocked this media: {string.Join(" ", verdict.Findings.Select(f => f.Detail))}",
            Extensions: new Dictionary<string, object?> { [ShareRefusalMembers.Findings] = verdict.Findings, [ShareRefusalMembers.VerdictId] = verdict.Id }), null);
    }

    private ShareBytes Scratch(TransferRow transfer, Func<Stream> open, string? file = null) =>
        new(open, file, store.UploadPath(transfer.Id + ".scan"));

    /// <summary>A dedup hit on this node: the stored blob, already verified when it was stored.</summary>
    private async Task<Assembly> AssembleStored(TransferRow transfer, CancellationToken ct)
    {
        var chunks = await BlobChunkList(transfer.ContentId, transfer.Size, ct)
            ?? throw new InvalidOperationException($"The blob {transfer.ContentId} a dedup hit relies on is gone.");
        return new Assembly(Verification.Verified, Scratch(transfer, () => store.OpenBlob(chunks)));
    }

    /// <summary>
    /// Stored chunks and uploaded ones, in manifest order, read in one pass that re-derives the chunk
    /// boundaries and ids (a client's boundaries are never trusted), the content id, and the proof over
    /// every byte; the new chunks are written only when the share is kept.
    /// </summary>
    private async Task<Assembly> AssembleFromManifest(TransferRow transfer, string? receivedPath, CancellationToken ct)
    {
        var manifest = await db.TransferChunks.Where(c => c.TransferId == transfer.Id).OrderBy(c => c.Index).ToListAsync(ct);
        var list = manifest.Select(c => (c.ChunkId, c.Length)).ToList();
        var parts = new List<BlobPart>(manifest.Count);
        long receivedOffset = 0;
        foreach (var chunk in manifest)
        {
            if (!chunk.Missing) parts.Add(new BlobPart(store.PathOf(chunk.ChunkId), 0, chunk.Length));
            else
            {
                parts.Add(new BlobPart(receivedPath!, receivedOffset, chunk.Length));
                receivedOffset += chunk.Length;
            }
        }

        using var proof = transfer.ExpectedProof is null ? null : new OwnershipChallenge(transfer.ChallengeNonce!, transfer.Size).StartSequential();
        ContentManifest scanned;
        await using (var assembled = new BlobStream(parts))
            scanned = await ContentScanner.ScanAsync(assembled, (_, bytes, _) =>
            {
                proof?.Append(bytes.Span);
                return ValueTask.CompletedTask;
            }, null, ct);
        await TransferHaltPoints.Reached(TransferHaltPoints.Verifying);
        if (scanned.Id.ToString() != transfer.ContentId || scanned.Size != transfer.Size ||
            !scanned.Chunks.Select(c => (c.Id.ToString(), c.Length)).SequenceEqual(list))
            return new Assembly(Verification.HashMismatch);
        if (proof is not null && !OwnershipChallenge.Matches(transfer.ExpectedProof, proof.Finish()))
            return new Assembly(Verification.ProofMismatch);

        return new Assembly(Verification.Verified, Scratch(transfer, () => new BlobStream(parts)), async token =>
        {
            if (receivedPath is null) return list;
            var buffer = new byte[FastCdc.MaxSize];
            await using var received = File.OpenRead(receivedPath);
            foreach (var chunk in manifest.Where(c => c.Missing))
            {
                var bytes = buffer.AsMemory(0, chunk.Length);
                await received.ReadExactlyAsync(bytes, token);
                await store.WriteAsync(chunk.ChunkId, bytes, token);
            }
            return list;
        });
    }

    /// <summary>
    /// The whole content was uploaded: hashed and cut while it arrived (<see cref="UploadDigest"/>), so only the last
    /// chunk is left to cut here; the chunk ids and cut points must be the manifest's, when one was announced. After a
    /// restart (no state on this node) the upload file is re-hashed once.
    /// </summary>
    private async Task<Assembly> AssembleStreamed(TransferRow transfer, string uploadId, string receivedPath, CancellationToken ct)
    {
        StreamedContent streamed;
        using (var digest = await store.Digests.Take(uploadId, receivedPath, store.PartsPath(uploadId), transfer.UploadLength, InspectionOnStream(screening, transfer), ct))
        {
            await digest.Begin(receivedPath, ct);
            streamed = await digest.Finish();
        }
        await TransferHaltPoints.Reached(TransferHaltPoints.Verifying);
        if (streamed.ContentId != transfer.ContentId || streamed.Size != transfer.Size) return new Assembly(Verification.HashMismatch);
        if (transfer.HasManifest)
        {
            var announced = await db.TransferChunks.Where(c => c.TransferId == transfer.Id).OrderBy(c => c.Index)
                .Select(c => new { c.ChunkId, c.Length }).ToListAsync(ct);
            if (!announced.Select(c => (c.ChunkId, c.Length)).SequenceEqual(streamed.Chunks)) return new Assembly(Verification.HashMismatch);
        }
        var bytes = Scratch(transfer, () => File.OpenRead(receivedPath), receivedPath) with { Streamed = streamed.Inspection };
        return new Assembly(Verification.Verified, bytes, async _ =>
        {
            await store.AdoptAsync(uploadId, streamed.Chunks);
            return streamed.Chunks;
        });
    }

    /// <summary>Starts the share screening's inspection on an upload's stream; none for sealed bytes (ciphertext, never screened).</summary>
    internal static Func<CancellationToken, Task<StreamInspection?>> InspectionOnStream(ShareScreening screening, TransferRow transfer) =>
        async ct => transfer.Sealed ? null : await screening.StartStreamInspectionAsync(transfer.FileName ?? "", transfer.MediaType, ct);

    private async Task<Assembly> AssembleWhole(TransferRow transfer, string receivedPath, CancellationToken ct)
    {
        await using (var check = File.OpenRead(receivedPath))
        {
            var (id, size) = await ContentScanner.HashAsync(check, ct);
            await TransferHaltPoints.Reached(TransferHaltPoints.Verifying);
            if (id.ToString() != transfer.ContentId || size != transfer.Size) return new Assembly(Verification.HashMismatch);
        }
        return new Assembly(Verification.Verified, Scratch(transfer, () => File.OpenRead(receivedPath), receivedPath), async token =>
        {
            await using var content = File.OpenRead(receivedPath);
            var manifest = await ContentScanner.ScanAsync(content, (chunk, bytes, t) => new ValueTask(store.WriteAsync(chunk.Id.ToString(), bytes, t)), null, token);
            return manifest.Chunks.Select(c => (c.Id.ToString(), c.Length)).ToList();
        });
    }

    /// <summary>
    /// The blob's rows, in one transaction: one commit (one fsync) for the blob instead of one per chunk row, and a few
    /// multi-row statements instead of a statement or a tracked entity per row (a 1 GiB blob has about 900 chunks).
    /// </summary>
    internal async Task SaveBlob(TransferRow transfer, List<(string ChunkId, int Length)> chunks, CancellationToken ct)
    {
        if (await db.Blobs.AnyAsync(b => b.Id == transfer.ContentId, ct)) return;
        var now = clock.Now();
        var blob = db.Blobs.Add(new Blob { Id = transfer.ContentId, Size = transfer.Size, CreatedAt = now });
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Blobs share chunks, so two blobs finishing at once (on one node or two) may both bring the same new
            // chunk: the database settles it (ids are content hashes, so either row is right) instead of a check
            // followed by an insert that the other blob can beat. In id order: on PostgreSQL a transaction waits on
            // another's uncommitted chunk, and two blobs taking shared chunks in opposite orders would deadlock.
            var createdAt = StoredTime.InColumn(now);
            await BulkInsert.RowsAsync(db.Database, "chunks", ["Id", "Length", "CreatedAt"],
                chunks.DistinctBy(c => c.ChunkId).OrderBy(c => c.ChunkId, StringComparer.Ordinal).Select(c => new object[] { c.ChunkId, c.Length, createdAt }),
                "ON CONFLICT DO NOTHING", ct);
            await db.SaveChangesAsync(ct);
            var offsets = new long[chunks.Count + 1];
            for (var i = 0; i < chunks.Count; i++) offsets[i + 1] = offsets[i] + chunks[i].Length;
            await BulkInsert.RowsAsync(db.Database, "blob_chunks", ["BlobId", "Index", "ChunkId", "Offset", "Length"],
                chunks.Select((c, i) => new object[] { transfer.ContentId, i, c.ChunkId, offsets[i], c.Length }), "", ct);
            await tx.CommitAsync(ct);
            // A re-send of this content then finds its challenge answered already.
            _ = expectedProofs.Prepare(transfer.ContentId, transfer.Size, chunks);
        }
        catch (DbUpdateException)
        {
            // Another transfer of the same content finished first (this transaction rolled back): what it stored is
            // identical, since ids are content hashes. Anything else is a real failure.
            blob.State = EntityState.Detached;
            if (!await db.Blobs.AsNoTracking().AnyAsync(b => b.Id == transfer.ContentId, ct)) throw;
        }
    }

    /// <summary>Posts the media to the target room, or, for a broadcast, issues its ticket (the upload role's half).</summary>
    private async Task<Refusal?> Deliver(TransferRow transfer, CancellationToken ct)
    {
        var (_, refusal) = await RoomAccess.RequireMember(db, transfer.RoomId, transfer.UserId, ct);
        if (refusal is not null)
        {
            await Fail(transfer, ProblemCodes.RoomNotMember, ct);
            return refusal;
        }
        if (transfer.ForBroadcast) transfer.Ticket = await tickets.Issue(transfer, ct);
        else transfer.MessageId = (await PostMedia(transfer, ct)).Id;
        transfer.State = TransferState.Delivered;
        await Close(transfer, ct);
        metrics.Delivered(transfer.Dedup, transfer.Size, transfer.Dedup switch
        {
            DedupTier.Local or DedupTier.Central => transfer.Size,
            DedupTier.Partial => transfer.Size - transfer.UploadLength,
            _ => 0,
        });
        return null;
    }

    private async Task<MessageDto> PostMedia(TransferRow transfer, CancellationToken ct)
    {
        var sender = await db.Users.AsNoTracking().Where(u => u.Id == transfer.UserId).Select(u => u.UserName).SingleAsync(ct);
        return await posting.PostMedia(transfer.RoomId, transfer.UserId, sender, new MediaDto(transfer.ContentId, transfer.Size, transfer.MediaType, transfer.FileName), ct);
    }

    public async Task Fail(TransferRow transfer, string code, CancellationToken ct)
    {
        transfer.State = TransferState.Failed;
        transfer.Failure = code;
        await Close(transfer, ct);
        metrics.Failed();
    }

    /// <summary>A transfer that ended no longer holds its chunks or its upload.</summary>
    private async Task Close(TransferRow transfer, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        await db.TransferChunks.Where(c => c.TransferId == transfer.Id).ExecuteDeleteAsync(ct);
        var uploads = await db.Uploads.Where(u => u.TransferId == transfer.Id).Select(u => u.Id).ToListAsync(ct);
        await db.Uploads.Where(u => u.TransferId == transfer.Id).ExecuteDeleteAsync(ct);
        foreach (var upload in uploads) store.DeleteUpload(upload);
    }
}
