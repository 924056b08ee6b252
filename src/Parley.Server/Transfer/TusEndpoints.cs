using System.Buffers;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.Accounts;
using Parley.Server.Hosting;
using Parley.Server.Problems;
using Parley.Server.Scanning;
using Parley.Server.Storage;

namespace Parley.Server.Transfer;

/// <summary>
/// Resumable uploads, tus 1.0.0 (https://tus.io/protocols/resumable-upload): core, creation,
/// checksum (sha1, sha256) and termination. Each upload carries the bytes of one transfer.
/// </summary>
public static class TusEndpoints
{
    public static void MapTusEndpoints(this IEndpointRouteBuilder app)
    {
        var tus = app.MapGroup(TransferService.UploadEndpoint).WithTags("Transfer").AddEndpointFilter(RequireTusVersion).AddEndpointFilter(RetryAfterFilter.Apply);
        tus.MapMethods("/", ["OPTIONS"], Options).AllowAnonymous().DescribeOptions();
        tus.MapPost("/", Create).RequireAuthorization().DescribeCreate();
        tus.MapMethods("/{uploadId}", ["HEAD"], Head).RequireAuthorization().DescribeHead();
        tus.MapPatch("/{uploadId}", Append).RequireAuthorization().DescribeAppend();
        tus.MapDelete("/{uploadId}", Terminate).RequireAuthorization().DescribeTerminate();
    }

    private static async ValueTask<object?> RequireTusVersion(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers[TusProtocol.ResumableHeader] = TusProtocol.Version;
        if (!HttpMethods.IsOptions(http.Request.Method) && !TusHeaders.IsSupportedVersion(http.Request.Headers[TusProtocol.ResumableHeader]))
        {
            http.Response.Headers[TusProtocol.VersionHeader] = TusProtocol.Version;
            return new Refusal(ProblemCodes.TusVersionUnsupported, $"Send Tus-Resumable: {TusProtocol.Version}.").ToProblem();
        }
        return await next(context);
    }

    private static NoContent Options(HttpContext http, IOptions<ParleyOptions> options)
    {
        var headers = http.Response.Headers;
        headers[TusProtocol.VersionHeader] = TusProtocol.Version;
        headers[TusProtocol.ExtensionHeader] = "creation,checksum,termination";
        headers[TusProtocol.MaxSizeHeader] = options.Value.Transfer.MaxBlobBytes.ToString();
        headers[TusProtocol.ChecksumAlgorithmHeader] = "sha1,sha256";
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created, ProblemHttpResult>> Create(
        HttpContext http, ClaimsPrincipal principal, ParleyDbContext db, ChunkStore store, TransferService transfers, TransferQuotas quotas,
        TimeProvider clock, IOptions<ParleyOptions> options, CancellationToken ct)
    {
        if (!TusHeaders.TryParseSize(http.Request.Headers[TusProtocol.UploadLengthHeader], out var length))
            return new Refusal(ProblemCodes.RequestInvalid, "Upload-Length must be a non-negative integer (deferred length is not supported).").ToProblem();
        var transferId = TusHeaders.ParseMetadata(http.Request.Headers[TusProtocol.UploadMetadataHeader]).GetValueOrDefault("transferId");
        var transfer = transferId is null ? null : await transfers.Find(principal.UserId(), transferId, ct);
        if (transfer is null)
            return new Refusal(ProblemCodes.TransferNotFound, "Upload-Metadata must name one of your transfers: transferId <base64 of its id>.").ToProblem();
        if (transfer.State != TransferState.Upload)
            return new Refusal(ProblemCodes.TransferWrongState, "This transfer is not waiting for an upload.").ToProblem();
        if (length != transfer.UploadLength)
            return new Refusal(ProblemCodes.UploadLengthMismatch, $"This transfer needs exactly {transfer.UploadLength} bytes.").ToProblem();
        if (await db.Uploads.AnyAsync(u => u.TransferId == transfer.Id, ct)) return UploadExists();
        if (await quotas.RefuseNewUpload(transfer.UserId, length, ct) is { } overQuota) return overQuota.ToProblem();

        var now = clock.Now();
        var upload = new Upload
        {
            Id = Ids.New("up"), TransferId = transfer.Id, UserId = transfer.UserId, Length = length, Offset = 0,
            CreatedAt = now, ExpiresAt = now + options.Value.Transfer.UploadExpiry,
        };
        db.Uploads.Add(upload);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // A concurrent POST for the same transfer won (one upload per transfer, a unique key).
            db.Entry(upload).State = EntityState.Detached;
            if (await db.Uploads.AsNoTracking().AnyAsync(u => u.TransferId == transfer.Id, ct)) return UploadExists();
            throw;
        }
        // The file comes after its row, so a lost race or a crash leaves no file without an upload.
        await File.WriteAllBytesAsync(store.UploadPath(upload.Id), [], ct);
        if (length == 0 && await transfers.UploadCompleted(upload, ct) is { } refusal) return refusal.ToProblem();
        return TypedResults.Created($"{TransferService.UploadEndpoint}/{upload.Id}");
    }

    private static ProblemHttpResult UploadExists() =>
        new Refusal(ProblemCodes.UploadExists, "This transfer already has an upload: resume it from its offset (HEAD).").ToProblem();

    private static async Task<Results<Ok, ProblemHttpResult>> Head(HttpContext http, string uploadId, ClaimsPrincipal principal, ParleyDbContext db, CancellationToken ct)
    {
        var upload = await db.Uploads.AsNoTracking().SingleOrDefaultAsync(u => u.Id == uploadId && u.UserId == principal.UserId(), ct);
        if (upload is null) return UploadNotFound();
        http.Response.Headers[TusProtocol.UploadOffsetHeader] = upload.Offset.ToString();
        http.Response.Headers[TusProtocol.UploadLengthHeader] = upload.Length.ToString();
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Append(
        HttpContext http, string uploadId, ClaimsPrincipal principal, ParleyDbContext db, ChunkStore store, TransferService transfers,
        TransferMetrics metrics, TimeProvider clock, IOptions<ParleyOptions> options, IUploadLocks locks, ShareScreening screening)
    {
        // The body is as long as the upload needs; Upload-Length bounds it, not the JSON API's limit.
        http.Features.Get<IHttpMaxRequestBodySizeFeature>()!.MaxRequestBodySize = null;
        var ct = CancellationToken.None; // a client that drops mid-PATCH still gets the bytes it sent recorded
        if (http.Request.ContentType != TusProtocol.OffsetContentType)
            return new Refusal(ProblemCodes.RequestUnsupportedMediaType, $"PATCH bodies are {TusProtocol.OffsetContentType}.").ToProblem();
        var upload = await db.Uploads.AsNoTracking().SingleOrDefaultAsync(u => u.Id == uploadId && u.UserId == principal.UserId(), ct);
        if (upload is null) return UploadNotFound();
        if (!TusHeaders.TryParseSize(http.Request.Headers[TusProtocol.UploadOffsetHeader], out var offset) || offset != upload.Offset)
            return new Refusal(ProblemCodes.UploadOffsetMismatch, $"The upload is at offset {upload.Offset}; continue from there.").ToProblem();
        if (!TusHeaders.TryParseChecksum(http.Request.Headers[TusProtocol.UploadChecksumHeader], out var checksum, out var expected))
            return new Refusal(ProblemCodes.RequestInvalid, "Upload-Checksum is \"sha1 <base64>\" or \"sha256 <base64>\".").ToProblem();

        // One PATCH at a time per upload, on whichever node it arrives; a second concurrent one is refused, not interleaved.
        var writer = await locks.TryAcquireAsync(upload.Id, ct);
        if (writer is null)
            return new Refusal(ProblemCodes.UploadLocked, "Another PATCH to this upload is in progress; retry when it ends.").ToProblem();
        await using (writer)
        {
            UploadDigest? digest = null;
            try
            {
                digest = await StartDigest(db, store, screening, upload, ct);
                if (await Record(http, db, store, upload, checksum, expected, digest, metrics, clock.Now() + options.Value.Transfer.UploadExpiry) is { } refused)
                    return refused.ToProblem();
                if (digest is not null)
                {
                    digest.End();
                    store.Digests.Keep(upload.Id, digest);
                    digest = null;
                }
            }
            catch (FileNotFoundException)
            {
                // Deleted (DELETE, or its transfer ended) between reading the row and opening the file.
                return UploadNotFound();
            }
            finally
            {
                // Not kept: a discarded or failed PATCH; the next one rebuilds the state from the upload file.
                digest?.Dispose();
            }
        }

        http.Response.Headers[TusProtocol.UploadOffsetHeader] = upload.Offset.ToString();
        if (upload.Offset == upload.Length) await TransferHaltPoints.Reached(TransferHaltPoints.UploadComplete);
        if (upload.Offset == upload.Length && await transfers.UploadCompleted(upload, ct) is { } refusal) return refusal.ToProblem();
        return TypedResults.NoContent();
    }

    /// <summary>Receives the body and records the new offset; a refusal when the PATCH is discarded or its upload is gone.</summary>
    private static async Task<Refusal?> Record(
        HttpContext http, ParleyDbContext db, ChunkStore store, Upload upload, IncrementalHash? checksum, byte[] expected, UploadDigest? digest,
        TransferMetrics metrics, DateTimeOffset expires)
    {
        var ct = CancellationToken.None;
        using (checksum)
        {
            var (received, ending) = await Receive(http, store.UploadPath(upload.Id), upload, checksum, digest);
            metrics.Received(received);
            if (ending == BodyEnding.Overflow)
                return Discard(store, upload, new Refusal(ProblemCodes.UploadTooLong, $"This upload takes {upload.Length} bytes in all."));
            // A dropped PATCH keeps its bytes only when there is no checksum to hold them to.
            if (checksum is not null && (ending == BodyEnding.Dropped || !CryptographicOperations.FixedTimeEquals(checksum.GetHashAndReset(), expected)))
                return Discard(store, upload, new Refusal(ProblemCodes.UploadChecksumMismatch, "The PATCH body does not match Upload-Checksum; it was discarded."));
            // Only from the offset this PATCH started at: a DELETE meanwhile leaves no row to update.
            var recorded = await db.Uploads.Where(u => u.Id == upload.Id && u.Offset == upload.Offset)
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.Offset, upload.Offset + received).SetProperty(x => x.ExpiresAt, expires), ct);
            if (recorded == 0) return new Refusal(ProblemCodes.UploadNotFound, "There is no such upload of yours.");
            upload.Offset += received;
            // Progress keeps the whole transfer alive, not just its upload.
            await db.Transfers.Where(t => t.Id == upload.TransferId).ExecuteUpdateAsync(t => t.SetProperty(x => x.ExpiresAt, expires), ct);
            return null;
        }
    }

    private enum BodyEnding { Complete, Dropped, Overflow }

    /// <summary>
    /// An upload of the whole content is verified and chunked on the stream (<see cref="UploadDigest"/>); one of only
    /// the missing chunks of a partial plan is verified with the stored chunks when it completes.
    /// </summary>
    private static async Task<UploadDigest?> StartDigest(ParleyDbContext db, ChunkStore store, ShareScreening screening, Upload upload, CancellationToken ct)
    {
        var transfer = await db.Transfers.AsNoTracking().SingleAsync(t => t.Id == upload.TransferId, ct);
        if (transfer.Size != upload.Length) return null;
        var path = store.UploadPath(upload.Id);
        var digest = await store.Digests.Take(upload.Id, path, store.PartsPath(upload.Id), upload.Offset, TransferService.InspectionOnStream(screening, transfer), ct);
        try
        {
            await digest.Begin(path, ct);
            return digest;
        }
        catch
        {
            digest.Dispose();
            throw;
        }
    }

    /// <summary>Appends the body at the upload's offset; bytes past the last committed offset are dropped first.</summary>
    private static async Task<(long Received, BodyEnding Ending)> Receive(
        HttpContext http, string path, Upload upload, IncrementalHash? checksum, UploadDigest? digest)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous);
        file.SetLength(upload.Offset);
        file.Seek(upload.Offset, SeekOrigin.Begin);
        // The digest's consumers run beside the receive (hashing, cutting, inspection on the other core).
        var lanes = digest is null ? null : new UploadLanes(digest.Lanes);
        try
        {
            return await Copy(http, file, upload.Length - upload.Offset, checksum, digest, lanes);
        }
        finally
        {
            // Every piece posted is consumed before the state may be kept or finished.
            if (lanes is not null) await lanes.CompleteAsync();
        }
    }

    /// <summary>What one read of a PATCH body takes: large enough that a write and a hash call cost little per byte.</summary>
    private const int ReadSize = 256 * 1024;

    private static async Task<(long Received, BodyEnding Ending)> Copy(
        HttpContext http, FileStream file, long room, IncrementalHash? checksum, UploadDigest? digest, UploadLanes? lanes)
    {
        long received = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
        try
        {
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer.AsMemory(0, ReadSize), http.RequestAborted)) > 0)
            {
                if (received + read > room) return (received, BodyEnding.Overflow);
                await file.WriteAsync(buffer.AsMemory(0, read));
                checksum?.AppendData(buffer, 0, read);
                received += read;
                if (lanes is null) continue;
                // The lanes own the buffer now (the last one returns it to the pool).
                var posted = buffer;
                buffer = null;
                await lanes.PostAsync(posted, read);
                digest!.Posted(read);
                buffer = ArrayPool<byte>.Shared.Rent(ReadSize);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The connection dropped: what arrived is on disk, and the client resumes from the new offset.
            return (received, BodyEnding.Dropped);
        }
        finally
        {
            if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
        }
        return (received, BodyEnding.Complete);
    }

    private static Refusal Discard(ChunkStore store, Upload upload, Refusal refusal)
    {
        using (var file = new FileStream(store.UploadPath(upload.Id), FileMode.Open, FileAccess.Write))
            file.SetLength(upload.Offset);
        return refusal;
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Terminate(
        string uploadId, ClaimsPrincipal principal, ParleyDbContext db, TransferService transfers, CancellationToken ct)
    {
        var upload = await db.Uploads.AsNoTracking().SingleOrDefaultAsync(u => u.Id == uploadId && u.UserId == principal.UserId(), ct);
        if (upload is null) return UploadNotFound();
        var transfer = await db.Transfers.SingleAsync(t => t.Id == upload.TransferId, ct);
        await transfers.Fail(transfer, ProblemCodes.TransferCancelled, ct);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult UploadNotFound() => new Refusal(ProblemCodes.UploadNotFound, "There is no such upload of yours.").ToProblem();
}
