using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Json;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.Hosting;
using Parley.Server.Messaging;
using Parley.Server.Problems;
using Parley.Server.Rooms;
using Parley.Server.Storage;
using TransferRow = Parley.Server.Storage.Transfer;

namespace Parley.Server.Transfer;

/// <summary>
/// The transfer state machine of docs/transfer.md: decide which tier has the content, challenge the
/// sender's ownership, take the missing bytes, verify them, store them, deliver.
/// </summary>
public sealed class TransferService(
    ParleyDbContext db,
    ChunkStore store,
    MessagePosting posting,
    Broadcast.ITicketIssuer tickets,
    ICentralTier central,
    TransferMetrics metrics,
    TimeProvider clock,
    IOptions<ParleyOptions> options,
    ILogger<TransferService> log)
{
    public const string UploadEndpoint = "/api/uploads";

    public async Task<Results<Created<TransferDto>, ProblemHttpResult>> Create(string userId, string? deviceId, CreateTransferRequest request, CancellationToken ct)
    {
        if (!ContentId.TryParse(request.ContentId, out var contentId))
            return Problem.BadRequest(ProblemCodes.TransferInvalidContentId, "contentId is sha256: followed by 64 lower-case hex digits.");
        var maxBytes = options.Value.Transfer.MaxBlobBytes;
        if (request.Size < 0) return Problem.BadRequest(ProblemCodes.RequestInvalid, "size cannot be negative.");
        if (request.Size > maxBytes)
            return Problem.Of(StatusCodes.Status413PayloadTooLarge, ProblemCodes.TransferTooLarge, $"This server takes media up to {maxBytes} bytes.");
        var (roomId, refusal) = await ResolveTarget(userId, request, ct);
        if (refusal is not null) return refusal;
        if (request.Chunks is { } chunks && !IsConsistent(chunks, request.Size))
            return Problem.BadRequest(ProblemCodes.TransferInvalidManifest,
                $"Chunk ids must be content ids, lengths 1–{FastCdc.MaxSize}, adding up to the size, at most one per {FastCdc.MinSize} bytes.");

        if (request.ForBroadcast && !options.Value.Role.IssuesTickets())
            return Problem.Conflict(ProblemCodes.BroadcastWrongRole, $"This node only broadcasts; upload pictures to {options.Value.Broadcast.UploadUrl}.");
        if (request.ForBroadcast && !TransferRules.IsPicture(TransferRules.NormalizeMediaType(request.MediaType)))
            return Problem.BadRequest(ProblemCodes.BroadcastNotImage, "Only pictures (image/png, image/jpeg, …) can be broadcast.");

        var id = contentId.ToString();
        var transfer = await Plan(userId, deviceId, id, roomId!, request, ct);
        db.Transfers.Add(transfer);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/transfers/{transfer.Id}", await ToDto(transfer, null, ct));
    }

    private async Task<(string? RoomId, ProblemHttpResult? Refusal)> ResolveTarget(string userId, CreateTransferRequest request, CancellationToken ct)
    {
        if (request.Room is null == request.To is null)
            return (null, Problem.BadRequest(ProblemCodes.TransferNoTarget, "Name exactly one target: room or to."));
        if (request.To is not null) return await DirectRooms.Resolve(db, userId, request.To, clock, ct);
        var (room, refusal) = await RoomAccess.RequireMember(db, request.Room!, userId, ct);
        return (room?.Id, refusal);
    }

    private static bool IsConsistent(IReadOnlyList<ChunkDto> chunks, long size)
    {
        if (chunks.Count > size / FastCdc.MinSize + 1) return false;
        long total = 0;
        foreach (var chunk in chunks)
        {
            if (!ContentId.TryParse(chunk.Id, out _) || chunk.Length is < 1 or > FastCdc.MaxSize) return false;
            total += chunk.Length;
        }
        return total == size;
    }

    /// <summary>Tier by tier: this node has it, central has it, some chunks are here, or nothing is.</summary>
    private async Task<TransferRow> Plan(string userId, string? deviceId, string contentId, string roomId, CreateTransferRequest request, CancellationToken ct)
    {
        TransferRow New(TransferState state, DedupTier dedup, long uploadLength, OwnershipChallenge? challenge, byte[]? expected)
        {
            var now = clock.Now();
            return new TransferRow
            {
                Id = Ids.New("t"), UserId = userId, ContentId = contentId, Size = request.Size, RoomId = roomId,
                FileName = TransferRules.NormalizeFileName(request.FileName), MediaType = TransferRules.NormalizeMediaType(request.MediaType),
                ForBroadcast = request.ForBroadcast, DeviceId = deviceId,
                State = state, Dedup = dedup, HasManifest = request.Chunks is not null, UploadLength = uploadLength,
                ChallengeNonce = challenge?.Nonce, ExpectedProof = expected,
                ChallengeRanges = challenge is null ? null : JsonSerializer.Serialize(challenge.Ranges.Select(r => new ByteRangeDto(r.Offset, r.Length)), ParleyJson.Options),
                CreatedAt = now, ExpiresAt = now + options.Value.Transfer.UploadExpiry,
            };
        }

        var blob = await BlobChunkList(contentId, request.Size, ct);
        if (blob is not null)
        {
            var challenge = OwnershipChallenge.Create(request.Size);
            await using var content = store.OpenBlob(blob);
            return New(TransferState.Prove, DedupTier.Local, 0, challenge, await challenge.AnswerAsync(content, ct));
        }

        if (central.Enabled)
        {
            var challenge = OwnershipChallenge.Create(request.Size);
            var answer = await AskCentral(new CentralQueryRequest(contentId, request.Size, roomId, ToDto(challenge)), ct);
            if (answer is { Present: true, Proof: { } proof })
                return New(TransferState.Prove, DedupTier.Central, 0, challenge, Convert.FromBase64String(proof));
        }

        if (request.Chunks is not { } manifest)
            return New(TransferState.Upload, DedupTier.None, request.Size, null, null);

        var ids = manifest.Select(c => c.Id).Distinct().ToList();
        var known = (await db.Chunks.Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct)).ToHashSet();
        var rows = new List<TransferChunk>(manifest.Count);
        var regions = new List<ByteRange>();
        long offset = 0, missingBytes = 0;
        for (var i = 0; i < manifest.Count; i++)
        {
            var missing = !known.Contains(manifest[i].Id);
            if (missing) missingBytes += manifest[i].Length;
            else regions.Add(new ByteRange(offset, manifest[i].Length));
            rows.Add(new TransferChunk { TransferId = "", Index = i, ChunkId = manifest[i].Id, Length = manifest[i].Length, Missing = missing });
            offset += manifest[i].Length;
        }

        TransferRow transfer;
        if (regions.Count == 0)
        {
            transfer = New(TransferState.Upload, DedupTier.None, request.Size, null, null);
        }
        else
        {
            // The known chunks are delivered without being uploaded, so their bytes are what must be proven.
            var challenge = OwnershipChallenge.CreateWithin(regions);
            await using var content = store.OpenBlob(manifest.Select(c => (c.Id, c.Length)).ToList());
            transfer = New(TransferState.Upload, DedupTier.Partial, missingBytes, challenge, await challenge.AnswerAsync(content, ct));
        }
        db.TransferChunks.AddRange(rows.Select(r => new TransferChunk
        {
            TransferId = transfer.Id, Index = r.Index, ChunkId = r.ChunkId, Length = r.Length, Missing = r.Missing,
        }));
        return transfer;
    }

    private async Task<CentralQueryResponse?> AskCentral(CentralQueryRequest query, CancellationToken ct)
    {
        try
        {
            return await central.QueryAsync(query, ct);
        }
        catch (CentralUnavailableException e)
        {
            // An edge stays useful while central is down: the sender uploads to the edge instead.
            log.LogWarning(e, "Central node unavailable; {ContentId} will be uploaded to this edge.", query.ContentId);
            return null;
        }
    }

    /// <summary>The chunk list of a stored blob of that size, or null if this node does not have it.</summary>
    public async Task<List<(string ChunkId, int Length)>?> BlobChunkList(string contentId, long size, CancellationToken ct)
    {
        if (!await db.Blobs.AnyAsync(b => b.Id == contentId && b.Size == size, ct)) return null;
        var chunks = await db.BlobChunks.Where(c => c.BlobId == contentId).OrderBy(c => c.Index)
            .Select(c => new { c.ChunkId, c.Length }).ToListAsync(ct);
        return chunks.Select(c => (c.ChunkId, c.Length)).ToList();
    }

    public Task<long?> StoredSize(string contentId, CancellationToken ct) =>
        db.Blobs.Where(b => b.Id == contentId).Select(b => (long?)b.Size).SingleOrDefaultAsync(ct);

    public async Task<Results<Ok<TransferDto>, ProblemHttpResult>> Get(string userId, string transferId, CancellationToken ct)
    {
        var transfer = await Find(userId, transferId, ct);
        if (transfer is null) return TransferNotFound();
        return TypedResults.Ok(await ToDto(transfer, null, ct));
    }

    public Task<TransferRow?> Find(string userId, string transferId, CancellationToken ct) =>
        db.Transfers.SingleOrDefaultAsync(t => t.Id == transferId && t.UserId == userId, ct);

    public static ProblemHttpResult TransferNotFound() =>
        Problem.NotFound(ProblemCodes.TransferNotFound, "There is no such transfer of yours.");

    /// <summary>One attempt per challenge: the first proof presented claims it, right or wrong.</summary>
    public async Task<Results<Ok<TransferDto>, ProblemHttpResult>> Prove(string userId, string transferId, ProofRequest request, CancellationToken ct)
    {
        var transfer = await Find(userId, transferId, ct);
        if (transfer is null) return TransferNotFound();
        var claimed = transfer.ExpectedProof is not null && transfer.State is TransferState.Prove or TransferState.Upload &&
            await db.Transfers.Where(t => t.Id == transferId && !t.Proven && t.State == transfer.State)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.Proven, true), ct) == 1;
        if (!claimed)
            return Problem.Conflict(ProblemCodes.TransferWrongState, "This transfer is not waiting for a proof of ownership.");
        transfer.Proven = true;

        var presented = new byte[32];
        if (!Convert.TryFromBase64String(request.Proof, presented, out var written) || written != presented.Length ||
            !OwnershipChallenge.Matches(transfer.ExpectedProof, presented))
        {
            await Fail(transfer, ProblemCodes.TransferProofFailed, ct);
            return Problem.Forbidden(ProblemCodes.TransferProofFailed, "The proof does not match the content: you need the file itself, not just its id.");
        }

        ProblemHttpResult? failure = null;
        if (transfer.State == TransferState.Prove)
        {
            failure = transfer.Dedup == DedupTier.Central ? await PullFromCentral(transfer, ct) : await Finish(transfer, null, ct);
        }
        else
        {
            var upload = await db.Uploads.AsNoTracking().SingleOrDefaultAsync(u => u.TransferId == transfer.Id, ct);
            if (transfer.UploadLength == 0) failure = await Finish(transfer, null, ct);
            else if (upload is not null && upload.Offset == upload.Length) failure = await Finish(transfer, store.UploadPath(upload.Id), ct);
            else await db.SaveChangesAsync(ct);
        }
        if (failure is not null) return failure;
        return TypedResults.Ok(await ToDto(transfer, null, ct));
    }

    private async Task<ProblemHttpResult?> PullFromCentral(TransferRow transfer, CancellationToken ct)
    {
        var path = store.UploadPath(transfer.Id + ".central");
        try
        {
            await using (var source = await central.OpenAsync(transfer.ContentId, ct))
            await using (var file = File.Create(path))
                await source.CopyToAsync(file, ct);
            return await Finish(transfer, path, ct);
        }
        catch (CentralUnavailableException)
        {
            await Fail(transfer, ProblemCodes.TransferCentralUnavailable, ct);
            return Problem.Of(StatusCodes.Status502BadGateway, ProblemCodes.TransferCentralUnavailable, "The central node holding this content cannot be reached; send it again to upload it here.");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// Called when an upload has all its bytes: a partial transfer must also have proven ownership of
    /// the chunks it reuses before it can finish.
    /// </summary>
    public async Task<ProblemHttpResult?> UploadCompleted(Upload upload, CancellationToken ct)
    {
        var transfer = await db.Transfers.SingleAsync(t => t.Id == upload.TransferId, ct);
        if (transfer.State != TransferState.Upload) return null;
        if (transfer.ExpectedProof is not null && !transfer.Proven)
            return Problem.Conflict(ProblemCodes.TransferWrongState, "Prove ownership of the chunks this server already has (POST …/proof) to finish this transfer.");
        return await Finish(transfer, store.UploadPath(upload.Id), ct);
    }

    /// <summary>Verifies everything, then stores, then delivers: a mismatch stores nothing.</summary>
    private async Task<ProblemHttpResult?> Finish(TransferRow transfer, string? receivedPath, CancellationToken ct)
    {
        var chunks = transfer.State == TransferState.Prove && transfer.Dedup == DedupTier.Local
            ? null
            : transfer.HasManifest && transfer.State == TransferState.Upload
                ? await AssembleFromManifest(transfer, receivedPath, ct)
                : await AssembleWhole(transfer, receivedPath!, ct);
        if (chunks is { Verified: false })
        {
            await Fail(transfer, ProblemCodes.TransferHashMismatch, ct);
            return Problem.Of(StatusCodes.Status422UnprocessableEntity, ProblemCodes.TransferHashMismatch,
                "The bytes received do not hash to the announced content id and size; nothing was stored.");
        }
        if (chunks is not null) await SaveBlob(transfer, chunks.Chunks, ct);
        return await Deliver(transfer, ct);
    }

    private sealed record Assembly(bool Verified, List<(string ChunkId, int Length)> Chunks);

    private async Task<Assembly> AssembleFromManifest(TransferRow transfer, string? receivedPath, CancellationToken ct)
    {
        var manifest = await db.TransferChunks.Where(c => c.TransferId == transfer.Id).OrderBy(c => c.Index).ToListAsync(ct);
        var list = manifest.Select(c => (c.ChunkId, c.Length)).ToList();
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[FastCdc.MaxSize];
        await using (var received = receivedPath is null ? null : File.OpenRead(receivedPath))
        {
            foreach (var chunk in manifest)
            {
                var bytes = buffer.AsMemory(0, chunk.Length);
                if (chunk.Missing)
                {
                    await received!.ReadExactlyAsync(bytes, ct);
                    if (ContentId.Of(bytes.Span).ToString() != chunk.ChunkId) return new Assembly(false, list);
                }
                else
                {
                    await using var stored = store.OpenRead(chunk.ChunkId);
                    await stored.ReadExactlyAsync(bytes, ct);
                }
                whole.AppendData(bytes.Span);
            }
        }
        if (ContentId.FromDigest(whole.GetHashAndReset()).ToString() != transfer.ContentId) return new Assembly(false, list);

        // Verified: now keep the new chunks.
        if (receivedPath is not null)
        {
            await using var received = File.OpenRead(receivedPath);
            foreach (var chunk in manifest.Where(c => c.Missing))
            {
                var bytes = buffer.AsMemory(0, chunk.Length);
                await received.ReadExactlyAsync(bytes, ct);
                await store.WriteAsync(chunk.ChunkId, bytes, ct);
            }
        }
        return new Assembly(true, list);
    }

    private async Task<Assembly> AssembleWhole(TransferRow transfer, string receivedPath, CancellationToken ct)
    {
        await using (var check = File.OpenRead(receivedPath))
        {
            var (id, size) = await ContentScanner.HashAsync(check, ct);
            if (id.ToString() != transfer.ContentId || size != transfer.Size) return new Assembly(false, []);
        }
        await using var content = File.OpenRead(receivedPath);
        var manifest = await ContentScanner.ScanAsync(content, (chunk, bytes, token) => new ValueTask(store.WriteAsync(chunk.Id.ToString(), bytes, token)), null, ct);
        return new Assembly(true, manifest.Chunks.Select(c => (c.Id.ToString(), c.Length)).ToList());
    }

    internal async Task SaveBlob(TransferRow transfer, List<(string ChunkId, int Length)> chunks, CancellationToken ct)
    {
        if (await db.Blobs.AnyAsync(b => b.Id == transfer.ContentId, ct)) return;
        var now = clock.Now();
        // Blobs share chunks, so two blobs finishing at once (on one node or two) may both bring the same new
        // chunk: the database settles it (ids are content hashes, so either row is right) instead of a check
        // followed by an insert that the other blob can beat.
        var createdAt = StoredTime.InColumn(now);
        foreach (var (chunkId, length) in chunks.DistinctBy(c => c.ChunkId))
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO chunks (\"Id\", \"Length\", \"CreatedAt\") VALUES ({chunkId}, {length}, {createdAt}) ON CONFLICT DO NOTHING", ct);
        db.Blobs.Add(new Blob { Id = transfer.ContentId, Size = transfer.Size, CreatedAt = now });
        long offset = 0;
        for (var i = 0; i < chunks.Count; i++)
        {
            db.BlobChunks.Add(new BlobChunk { BlobId = transfer.ContentId, Index = i, ChunkId = chunks[i].ChunkId, Offset = offset, Length = chunks[i].Length });
            offset += chunks[i].Length;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another transfer of the same content finished first: what it stored is identical, since ids
            // are content hashes. Anything else is a real failure.
            foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is Blob or BlobChunk).ToList())
                entry.State = EntityState.Detached;
            if (!await db.Blobs.AsNoTracking().AnyAsync(b => b.Id == transfer.ContentId, ct)) throw;
        }
    }

    /// <summary>Posts the media to the target room, or, for a broadcast, issues its ticket (the upload role's half).</summary>
    private async Task<ProblemHttpResult?> Deliver(TransferRow transfer, CancellationToken ct)
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
        metrics.Delivered(transfer.Dedup, transfer.Size, transfer.Dedup == DedupTier.None ? 0 : transfer.Size - transfer.UploadLength);
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
        foreach (var upload in uploads) File.Delete(store.UploadPath(upload));
    }

    public async Task<TransferDto> ToDto(TransferRow t, MessageDto? message, CancellationToken ct)
    {
        var challenge = t.ChallengeNonce is not null && !t.Proven && t.State is TransferState.Prove or TransferState.Upload
            ? new ChallengeDto(Convert.ToBase64String(t.ChallengeNonce), JsonSerializer.Deserialize<ByteRangeDto[]>(t.ChallengeRanges!, ParleyJson.Options)!)
            : null;
        UploadPlanDto? upload = null;
        if (t.State == TransferState.Upload)
        {
            var missing = t.HasManifest
                ? await db.TransferChunks.Where(c => c.TransferId == t.Id && c.Missing).OrderBy(c => c.Index).Select(c => c.Index).ToListAsync(ct)
                : null;
            upload = new UploadPlanDto(UploadEndpoint, t.UploadLength, missing);
        }
        if (message is null && t.MessageId is not null)
        {
            var row = await db.Messages.AsNoTracking().SingleAsync(m => m.Id == t.MessageId, ct);
            var sender = await db.Users.AsNoTracking().Where(u => u.Id == row.SenderId).Select(u => u.UserName).SingleAsync(ct);
            message = MessagePosting.ToDto(row, sender);
        }
        return new TransferDto(t.Id, t.State, t.Dedup, t.ContentId, t.Size, challenge, upload, message, t.Failure, t.Ticket);
    }

    public static ChallengeDto ToDto(OwnershipChallenge challenge) =>
        new(Convert.ToBase64String(challenge.Nonce), challenge.Ranges.Select(r => new ByteRangeDto(r.Offset, r.Length)).ToList());
}
