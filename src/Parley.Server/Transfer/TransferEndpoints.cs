using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Parley.Server.Hosting;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.Accounts;
using Parley.Server.ApiDocs;
using Parley.Server.Problems;
using Parley.Server.Scanning;
using Parley.Server.Storage;

namespace Parley.Server.Transfer;

/// <summary>Transfers (docs/transfer.md), media downloads, and the operator's figures.</summary>
public static class TransferEndpoints
{
    public static void MapTransferEndpoints(this IEndpointRouteBuilder app)
    {
        var transfers = app.MapGroup("/api/transfers").WithTags("Transfer").RequireAuthorization().AddEndpointFilter(RetryAfterFilter.Apply);
        var maxBlobBytes = app.ServiceProvider.GetRequiredService<IOptions<ParleyOptions>>().Value.Transfer.MaxBlobBytes;
        transfers.MapPost("/", (CreateTransferRequest request, ClaimsPrincipal user, TransferService service, CancellationToken ct) =>
                service.Create(user.UserId(), user.DeviceId(), request, ct).ToCreated(transfer => $"/api/transfers/{transfer.Id}"))
            .WithMetadata(new RequestSizeLimitAttribute(ManifestBodyLimit(maxBlobBytes)))
            .WithName("CreateTransfer").WithSummary("Announce a transfer")
            .WithDescription("Announces media by content id and size for a room or a user (its chunk manifest may come now or, "
                + "only if bytes must travel, with PUT …/manifest). The answer carries an ownership challenge: answer it with POST …/proof (docs/transfer.md).")
            .ProducesProblems(TransferService.CreateRefusals);
        transfers.MapGet("/{transferId}", (string transferId, ClaimsPrincipal user, TransferService service, CancellationToken ct) =>
                service.Get(user.UserId(), transferId, ct).ToOk())
            .WithName("GetTransfer").WithSummary("Get a transfer").WithDescription("One of the caller's transfers: its state, upload plan, delivered message or failure.")
            .ProducesProblems(ProblemCodes.TransferNotFound);
        transfers.MapPost("/{transferId}/proof", (string transferId, ProofRequest request, ClaimsPrincipal user, TransferService service, CancellationToken ct) =>
                service.Prove(user.UserId(), transferId, request, ct).ToOk())
            .WithName("ProveTransfer").WithSummary("Prove ownership")
            .WithDescription("Answers the challenge with HMAC-SHA256 keyed with the nonce over the challenged blocks. A stored copy that matches "
                + "delivers at once; otherwise the answer is the upload plan (tus, at `upload.endpoint`). One attempt per challenge.")
            .ProducesProblems(TransferService.ProveRefusals);
        transfers.MapPut("/{transferId}/manifest", (string transferId, ManifestRequest request, ClaimsPrincipal user, TransferService service, CancellationToken ct) =>
                service.SubmitManifest(user.UserId(), transferId, request, ct).ToOk())
            .WithMetadata(new RequestSizeLimitAttribute(ManifestBodyLimit(maxBlobBytes)))
            .WithName("GiveTransferManifest").WithSummary("Give the chunk manifest")
            .WithDescription("After a proof answered `upload` for a transfer announced without chunks (`upload.acceptsManifest`): its FastCDC chunks, "
                + "in order. The answer is the new plan, naming only the chunks this node lacks (or `delivered` when it lacks none). Once per transfer, before its upload.")
            .ProducesProblems(TransferService.ManifestRefusals);

        // HEAD answers like GET without the body (size, type, ETag), e.g. before a ranged download.
        MediaDownload(app.MapGet("/api/media/{mediaId}", Download)).WithName("DownloadMedia").WithSummary("Download media")
            .WithDescription("Streams media sent to a room the caller is in, by message id or content id; quarantined media is refused to everyone (451). Ranges make downloads resumable; "
                + "pictures come inline with their own image/* type, everything else as an application/octet-stream attachment.");
        MediaDownload(app.MapMethods("/api/media/{mediaId}", [HttpMethods.Head], Download)).WithName("InspectMedia")
            .WithSummary("Inspect media").WithDescription("The headers of a download (size, type, ETag) without its body.");
    }

    private static RouteHandlerBuilder MediaDownload(RouteHandlerBuilder endpoint) => endpoint
        .WithTags("Transfer").RequireAuthorization()
        .Produces<Stream>(StatusCodes.Status200OK, TransferRules.DefaultMediaType)
        .Produces<Stream>(StatusCodes.Status206PartialContent, TransferRules.DefaultMediaType)
        .WithRequestHeader("Range", "`bytes=N-` (or any single range) to resume a download.")
        .WithResponseHeader(StatusCodes.Status200OK, "ETag", "The content id, quoted: the media never changes.")
        .WithResponseHeader(StatusCodes.Status200OK, "Parley-Content-Id", "The media's content id (sha256:…).")
        .WithResponseHeader(StatusCodes.Status206PartialContent, "Content-Range", "The range sent, of the whole size.")
        .ProducesProblems(ProblemCodes.MediaNotFound, ProblemCodes.MediaQuarantined);

    /// <summary>
    /// A transfer request carries one chunk entry (~100 bytes of JSON) per 256 KiB at worst, so the
    /// largest accepted media needs a body far over the API's usual limit; this one allows exactly that.
    /// </summary>
    public static long ManifestBodyLimit(long maxBlobBytes) => (maxBlobBytes / FastCdc.MinSize + 1) * 128 + 64 * 1024;

    /// <summary>
    /// Streams media to members of a room it was sent to; <paramref name="mediaId"/> is the message id or
    /// the content id. Range requests make downloads resumable. User-supplied bytes are never given a
    /// chance to run as a page of this origin: no sniffing, a sandbox policy, and only images inline.
    /// </summary>
    private static async Task<IResult> Download(
        string mediaId, HttpContext http, ClaimsPrincipal user, ParleyDbContext db, TransferService transfers, ChunkStore store, CancellationToken ct)
    {
        var userId = user.UserId();
        var myRooms = db.RoomMembers.Where(m => m.UserId == userId).Select(m => m.RoomId);
        var visible = db.Messages.AsNoTracking().Where(m => m.MediaContentId != null && myRooms.Contains(m.RoomId));
        var message = await (mediaId.StartsWith(ContentId.Prefix, StringComparison.Ordinal)
            ? visible.Where(m => m.MediaContentId == mediaId)
            : visible.Where(m => m.Id == mediaId)).FirstOrDefaultAsync(ct);
        var chunks = message is null ? null : await transfers.BlobChunkList(message.MediaContentId!, message.MediaSize ?? 0, ct);
        if (chunks is null) return MediaResponses.NotFound.ToProblem();
        if (await QuarantineService.IsQuarantinedAsync(db, message!.MediaContentId!, ct)) return MediaResponses.Quarantined.ToProblem();

        var mediaType = message!.MediaType ?? TransferRules.DefaultMediaType;
        var inline = TransferRules.IsPicture(mediaType);
        MediaResponses.Guard(http.Response);
        http.Response.Headers["Parley-Content-Id"] = message.MediaContentId;
        // Addressed by its hash, so it never changes: only this user's browser may keep it, for good.
        http.Response.Headers.CacheControl = "private, max-age=31536000, immutable";
        return TypedResults.Stream(store.OpenBlob(chunks), inline ? mediaType : TransferRules.DefaultMediaType,
            fileDownloadName: inline ? null : message.MediaFileName ?? ContentId.Parse(message.MediaContentId!).Hex,
            entityTag: new EntityTagHeaderValue($"\"{message.MediaContentId}\""), enableRangeProcessing: true);
    }
}
