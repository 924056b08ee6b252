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
using Parley.Server.Storage;
using TransferRow = Parley.Server.Storage.Transfer;

namespace Parley.Server.Transfer;

/// <summary>
/// The transfer state machine of docs/transfer.md: decide which tier has the content, challenge the
/// sender's ownership, take the missing bytes, verify them, store them, deliver.
/// </summary>
public sealed partial class TransferService(
    ParleyDbContext db,
    TransferQuotas quotas,
    ChunkStore store,
    ExpectedProofs expectedProofs,
    MessagePosting posting,
    Broadcast.ITicketIssuer tickets,
    ICentralTier central,
    TransferMetrics metrics,
    ShareIdentifiers identifiers,
    ShareScreening screening,
    Views.VideoFactsStore videoFacts,
    TimeProvider clock,
    IOptions<ParleyOptions> options,
    ILogger<TransferService> log)
{
    public const string UploadEndpoint = "/api/uploads";

    /// <summary>What sealed (passphrase session) media is stored and served as.</summary>
    public const string SealedMediaType = "application/octet-stream";

    /// <summary>What verifying, storing and delivering refuse with, after a proof or an upload's last byte.</summary>
    public static readonly string[] FinishRefusals =
        [ProblemCodes.TransferHashMismatch, ProblemCodes.TransferProofFailed, ProblemCodes.ShareBlocked, .. RoomAccess.Refusals];

    /// <summary>The problem codes of <see cref="Create"/> and <see cref="Prove"/>, for the endpoints' OpenAPI declarations.</summary>
    public static readonly string[] CreateRefusals =
    [
        ProblemCodes.TransferInvalidContentId, ProblemCodes.TransferTooLarge, ProblemCodes.TransferNoTarget, .. RoomAccess.Refusals,
        .. DirectRooms.Refusals, ProblemCodes.TransferRateLimited, ProblemCodes.TransferInvalidManifest, ProblemCodes.BroadcastWrongRole,
        ProblemCodes.BroadcastNotImage, .. ShareIdentifiers.Refusals,
    ];

    public static readonly string[] ProveRefusals =
        [ProblemCodes.TransferNotFound, ProblemCodes.TransferWrongState, ProblemCodes.TransferCentralUnavailable, .. FinishRefusals];

    public async Task<Outcome<TransferDto>> Create(string userId, string? deviceId, CreateTransferRequest request, CancellationToken ct)
    {
        if (!ContentId.TryParse(request.ContentId, out var contentId))
            return new Refusal(ProblemCodes.TransferInvalidContentId, "contentId is sha256: followed by 64 lower-case hex digits.");
        var maxBytes = options.Value.Transfer.MaxBlobBytes;
        if (request.Size < 0) return new Refusal(ProblemCodes.RequestInvalid, "size cannot be negative.");
        if (request.Size > maxBytes)
            return new Refusal(ProblemCodes.TransferTooLarge, $"This server takes media up to {maxBytes} bytes.");
        // The share path's checks come before anything of the share is stored (a direct send's room included).
        var share = await identifiers.CheckAsync(userId, deviceId, contentId, request, ct);
        if (share.Refusal is { } notShareable) return notShareable;
        var (roomId, refusal) = await ResolveTarget(userId, request, ct);
        if (refusal is not null) return refusal;
        if (await quotas.RefuseNewTransfer(userId, ct) is { } overLimit) return overLimit;
        if (request.Chunks is { } chunks && !IsConsistent(chunks, request.Size)) return InvalidManifest();

        if (request.ForBroadcast && !options.Value.Role.IssuesTickets())
            return new Refusal(ProblemCodes.BroadcastWrongRole, $"This node only broadcasts; upload pictures to {options.Value.Broadcast.UploadUrl}.");
        if (request.ForBroadcast && !TransferRules.IsPicture(TransferRules.NormalizeMediaType(request.MediaType)))
            return new Refusal(ProblemCodes.BroadcastNotImage, "Only pictures (image/png, image/jpeg, …) can be broadcast.");

        var id = contentId.ToString();
        var transfer = await Plan(userId, deviceId, id, roomId!, request, share.Value!.LibraryVersion, ct);
        db.Transfers.Add(transfer);
        await db.SaveChangesAsync(ct);
        return await ToDto(transfer, ct);
    }

    private async Task<(string? RoomId, Refusal? Refusal)> ResolveTarget(string userId, CreateTransferRequest request, CancellationToken ct)
    {
        if (request.Room is null == request.To is null)
            return (null, new Refusal(ProblemCodes.TransferNoTarget, "Name exactly one target: room or to."));
        if (request.To is not null) return await DirectRooms.Resolve(db, userId, request.To, clock, ct);
        var (room, refusal) = await RoomAccess.RequireMember(db, request.Room!, userId, ct);
        return (room?.Id, refusal);
    }

    /// <summary>
    /// Tier by tier: this node has it, central has it, or neither. Whatever the answer, the transfer
    /// starts by waiting for a proof, and its upload plan (what to send if no tier has the content, or
    /// the proof does not match) is made now but told only after the proof: so the first answer is the
    /// same for content that exists and content that does not (docs/transfer.md, "Who learns what").
    /// </summary>
    private async Task<TransferRow> Plan(
        string userId, string? deviceId, string contentId, string roomId, CreateTransferRequest request, long? identifierVersion, CancellationToken ct)
    {
        var id = Ids.New("t");
        var (tier, expected, challenge) = await FindStored(id, contentId, request.Size, roomId, ct);
        var (rows, missingBytes) = request.Chunks is { } manifest ? await PlanChunks(id, userId, manifest, ct) : ([], request.Size);
        var fallback = rows.Any(r => !r.Missing) ? DedupTier.Partial : DedupTier.None;
        var now = clock.Now();
        var transfer = new TransferRow
        {
            Id = id, UserId = userId, ContentId = contentId, Size = request.Size, RoomId = roomId,
            FileName = TransferRules.NormalizeFileName(request.FileName),
            // Sealed bytes are ciphertext, whatever the sender calls them: no one should try to render them.
            MediaType = request.Sealed ? SealedMediaType : TransferRules.NormalizeMediaType(request.MediaType),
            ForBroadcast = request.ForBroadcast, DeviceId = deviceId, Sealed = request.Sealed, IdentifierLibraryVersion = identifierVersion,
            State = TransferState.Prove, Dedup = tier ?? fallback, HasManifest = request.Chunks is not null, UploadLength = missingBytes,
            ChallengeNonce = challenge.Nonce, ExpectedProof = expected,
            CreatedAt = now, ExpiresAt = now + options.Value.Transfer.UploadExpiry,
        };
        db.TransferChunks.AddRange(rows);
        return transfer;
    }

    /// <summary>
    /// The transfer's challenge, which tier holds the content, and the proof central's copy gives for the challenge (nulls
    /// when no tier holds it). This node's copy has its answer ready or under way (<see cref="ExpectedProofs"/>).
    /// </summary>
    private async Task<(DedupTier? Tier, byte[]? Expected, OwnershipChallenge Challenge)> FindStored(
        string transferId, string contentId, long size, string roomId, CancellationToken ct)
    {
        if (await BlobChunkList(contentId, size, ct) is { } blob)
            return (DedupTier.Local, null, expectedProofs.Challenge(transferId, contentId, size, blob));
        var challenge = OwnershipChallenge.Create(size);
        if (central.Enabled &&
            await AskCentral(new CentralQueryRequest(contentId, size, roomId, challenge.ToDto()), ct) is { Present: true, Proof: { } proof } &&
            OwnershipChallenge.TryDecodeProof(proof, out var expected))
            return (DedupTier.Central, expected, challenge);
        return (null, null, challenge);
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

    public async Task<Outcome<TransferDto>> Get(string userId, string transferId, CancellationToken ct)
    {
        var transfer = await Find(userId, transferId, ct);
        if (transfer is null) return TransferNotFound();
        return await ToDto(transfer, ct);
    }

    public Task<TransferRow?> Find(string userId, string transferId, CancellationToken ct) =>
        db.Transfers.SingleOrDefaultAsync(t => t.Id == transferId && t.UserId == userId, ct);

    private static Refusal TransferNotFound() => new(ProblemCodes.TransferNotFound, "There is no such transfer of yours.");

    /// <summary>
    /// One attempt per challenge: the first proof presented claims it, right or wrong. A proof that
    /// matches a stored copy delivers at once; anything else (no tier has the content, or the proof does
    /// not match) gets the same answer, the upload plan, so a proof attempt tells nothing to someone
    /// who only knows the content id. A partial plan keeps the proof to check it over the assembled bytes.
    /// </summary>
    public async Task<Outcome<TransferDto>> Prove(string userId, string transferId, ProofRequest request, CancellationToken ct)
    {
        var transfer = await Find(userId, transferId, ct);
        if (transfer is null) return TransferNotFound();
        if (!OwnershipChallenge.TryDecodeProof(request.Proof, out var presented))
            return new Refusal(ProblemCodes.RequestInvalid, "proof is the base64 of 32 bytes: HMAC-SHA256 keyed with the nonce over the challenged blocks.");
        var claimed = transfer.State == TransferState.Prove &&
            await db.Transfers.Where(t => t.Id == transferId && !t.Proven && t.State == TransferState.Prove)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.Proven, true), ct) == 1;
        if (!claimed)
            return new Refusal(ProblemCodes.TransferWrongState, "This transfer is not waiting for a proof of ownership.");
        transfer.Proven = true;

        Refusal? failure;
        var expected = transfer.ExpectedProof ??
            (transfer.Dedup == DedupTier.Local ? await expectedProofs.Take(transfer.Id, () => AnswerFromStoredCopy(transfer, ct)) : null);
        if (expected is not null && OwnershipChallenge.Matches(expected, presented))
        {
            failure = transfer.Dedup == DedupTier.Central ? await PullFromCentral(transfer, ct) : await Finish(transfer, null, ct);
        }
        else
        {
            await ExpectUpload(transfer, presented, ct);
            // Every chunk was known: there is nothing to upload, so the proof is checked now.
            failure = transfer is { Dedup: DedupTier.Partial, UploadLength: 0 } ? await Finish(transfer, null, ct) : null;
        }
        if (failure is not null) return failure;
        return await ToDto(transfer, ct);
    }

    /// <summary>What this node's copy answers to the transfer's challenge, when the announcement's answer is not here.</summary>
    private async Task<byte[]?> AnswerFromStoredCopy(TransferRow transfer, CancellationToken ct) =>
        await BlobChunkList(transfer.ContentId, transfer.Size, ct) is { } blob
            ? await expectedProofs.Answer(new OwnershipChallenge(transfer.ChallengeNonce!, transfer.Size), blob, ct)
            : null;

    /// <summary>From proof to upload: the plan made when the transfer was announced now applies.</summary>
    private async Task ExpectUpload(TransferRow transfer, byte[] presented, CancellationToken ct)
    {
        var reusesChunks = transfer.HasManifest && await db.TransferChunks.AnyAsync(c => c.TransferId == transfer.Id && !c.Missing, ct);
        transfer.State = TransferState.Upload;
        transfer.Dedup = reusesChunks ? DedupTier.Partial : DedupTier.None;
        // Reused chunks are delivered without being uploaded: the sender's answer must then be what
        // the assembled content gives. A whole upload carries every byte and needs no proof; without a
        // manifest yet, the answer is kept for the one the sender may still give (SubmitManifest).
        transfer.ExpectedProof = reusesChunks || !transfer.HasManifest ? presented : null;
        await db.SaveChangesAsync(ct);
    }

    private async Task<Refusal?> PullFromCentral(TransferRow transfer, CancellationToken ct)
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
            return new Refusal(ProblemCodes.TransferCentralUnavailable, "The central node holding this content cannot be reached; send it again to upload it here.");
        }
        finally
        {
            File.Delete(path);
        }
    }

    public async Task<TransferDto> ToDto(TransferRow t, CancellationToken ct)
    {
        var challenge = t.State == TransferState.Prove && !t.Proven ? new OwnershipChallenge(t.ChallengeNonce!, t.Size).ToDto() : null;
        UploadPlanDto? upload = null;
        if (t.State == TransferState.Upload)
        {
            var missing = t.HasManifest
                ? await db.TransferChunks.Where(c => c.TransferId == t.Id && c.Missing).OrderBy(c => c.Index).Select(c => c.Index).ToListAsync(ct)
                : null;
            var acceptsManifest = !t.HasManifest && !await db.Uploads.AnyAsync(u => u.TransferId == t.Id, ct);
            upload = new UploadPlanDto(UploadEndpoint, t.UploadLength, missing, acceptsManifest);
        }
        MessageDto? message = null;
        if (t.MessageId is not null)
        {
            var row = await db.Messages.AsNoTracking().SingleAsync(m => m.Id == t.MessageId, ct);
            var sender = await db.Users.AsNoTracking().Where(u => u.Id == row.SenderId).Select(u => u.UserName).SingleAsync(ct);
            message = MessagePosting.ToDto(row, sender);
        }
        // Before the proof, the tier would tell whether the content exists (see Plan).
        var dedup = t.State == TransferState.Prove ? (DedupTier?)null : t.Dedup;
        return new TransferDto(t.Id, t.State, dedup, t.ContentId, t.Size, challenge, upload, message, t.Failure, t.Ticket);
    }
}
