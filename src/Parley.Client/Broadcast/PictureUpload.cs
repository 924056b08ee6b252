using Parley.Client.Scanning;
using Parley.Client.Transfer;
using Parley.Core.Problems;
using Parley.Core.Transfer;

namespace Parley.Client.Broadcast;

/// <summary>
/// The client's side of the upload role's half (SPEC §2 step 1): the picture goes through the
/// deduplicated transfer (docs/transfer.md) marked for broadcast, so the server stores it and answers
/// with a ticket instead of posting a message. A picture the server has is proven, not uploaded again.
/// </summary>
internal static class PictureUpload
{
    /// <param name="uploadRole">A client of the node playing the upload role.</param>
    public static async Task<PictureTicket> RequestTicketAsync(ParleyClient uploadRole, string path, string roomId, string? mediaType, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous);
        var fileName = Path.GetFileName(path);
        // The first detection, before the upload role hears of the picture.
        var (scan, manifest) = await SharePreflight.CheckAndHashAsync(uploadRole, file, fileName, mediaType, progress: null, ct);
        var (transfer, announced) = await SharePreflight.AnnounceAsync(uploadRole, file, scan,
            identifier => Announce(manifest, roomId, fileName, mediaType, identifier), ct);
        if (transfer.State == TransferState.Prove) transfer = await SharePreflight.Blocking(fileName, () => uploadRole.ProveHoldingAsync(transfer, file, ct));
        long uploaded = 0;
        if (transfer.State == TransferState.Upload)
        {
            uploaded = await SharePreflight.Blocking(fileName, () => UploadAsync(uploadRole, transfer, manifest, fileName, file, ct));
            transfer = await uploadRole.GetTransferAsync(transfer.Id, ct);
        }
        SharePreflight.ThrowIfBlocked(transfer, fileName);
        // The server answered, but with a transfer that issued no ticket: reported like a refusal of the request.
        if (transfer is not { State: TransferState.Delivered, Ticket: { } ticket })
            throw new ParleyApiException(409, transfer.Failure ?? ProblemCodes.TransferWrongState, "No ticket issued",
                $"The broadcast transfer ended {transfer.State.ToString().ToLowerInvariant()}{(transfer.Failure is null ? "" : $" ({transfer.Failure})")} without a ticket.");
        SharePreflight.Remember(uploadRole, path, announced);
        return new PictureTicket(ticket, transfer.Id, transfer.ContentId, transfer.Size, transfer.Dedup ?? DedupTier.None, uploaded);
    }

    private static CreateTransferRequest Announce(ContentManifest manifest, string roomId, string fileName, string? mediaType, string? identifier) => new(
        manifest.Id.ToString(), manifest.Size, Room: roomId, FileName: fileName,
        MediaType: mediaType ?? MediaTypes.FromFileName(fileName),
        // As for any file: a picture no bigger than one minimum chunk is a single chunk, and a manifest would tell the server nothing.
        Chunks: manifest.Size > FastCdc.MinSize ? manifest.Chunks.Select(c => new ChunkDto(c.Id.ToString(), c.Length)).ToList() : null,
        ForBroadcast: true,
        ScanIdentifier: identifier);

    private static async Task<long> UploadAsync(ParleyClient uploadRole, TransferDto transfer, ContentManifest manifest, string fileName, FileStream file, CancellationToken ct)
    {
        var plan = transfer.Upload!;
        var body = UploadBody.For(manifest, manifest.Size, plan) ?? throw new ParleyApiException(200, ClientCodes.InvalidResponse, "Invalid response",
            $"The server's upload plan ({plan.Length} bytes) does not fit this picture's manifest.");
        var tus = new TusUpload(uploadRole);
        var upload = await tus.CreateAsync(plan.Endpoint, transfer.Id, body.Length, fileName, ct);
        return await tus.SendAsync(upload, 0, body, file.SafeFileHandle, pacer: null, progress: null, ct);
    }
}
