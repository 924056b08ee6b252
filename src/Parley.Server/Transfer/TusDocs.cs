using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.ApiDocs;

namespace Parley.Server.Transfer;

/// <summary>
/// How the tus endpoints appear in the OpenAPI document: tus speaks in headers, which the handlers read from the
/// request rather than as parameters, so each endpoint declares them here (https://tus.io/protocols/resumable-upload).
/// </summary>
internal static class TusDocs
{
    /// <summary>Every tus request but OPTIONS names the protocol version; every answer names it too.</summary>
    public static RouteHandlerBuilder TusRequest(this RouteHandlerBuilder endpoint, int success) => endpoint
        .WithRequestHeader(TusProtocol.ResumableHeader, $"The tus version: `{TusProtocol.Version}`.", required: true)
        .WithResponseHeader(success, TusProtocol.ResumableHeader, $"`{TusProtocol.Version}`.")
        .ProducesProblems(ProblemCodes.TusVersionUnsupported);

    public static RouteHandlerBuilder DescribeOptions(this RouteHandlerBuilder endpoint) => endpoint
        .WithName("GetUploadOptions").WithSummary("Discover the tus server")
        .WithDescription("Which tus version, extensions, checksum algorithms and largest upload this server takes.")
        .WithResponseHeader(StatusCodes.Status204NoContent, TusProtocol.ResumableHeader, $"`{TusProtocol.Version}`.")
        .WithResponseHeader(StatusCodes.Status204NoContent, TusProtocol.VersionHeader, $"`{TusProtocol.Version}`.")
        .WithResponseHeader(StatusCodes.Status204NoContent, TusProtocol.ExtensionHeader, "`creation,checksum,termination`.")
        .WithResponseHeader(StatusCodes.Status204NoContent, TusProtocol.MaxSizeHeader, "The largest upload in bytes (Parley:Transfer:MaxBlobBytes).")
        .WithResponseHeader(StatusCodes.Status204NoContent, TusProtocol.ChecksumAlgorithmHeader, "`sha1,sha256`.");

    public static RouteHandlerBuilder DescribeCreate(this RouteHandlerBuilder endpoint) => endpoint
        .WithName("CreateUpload").WithSummary("Create an upload")
        .WithDescription("Creates the upload of a transfer that is waiting for one (tus creation). The answer's Location is where to PATCH.")
        .TusRequest(StatusCodes.Status201Created)
        .WithRequestHeader(TusProtocol.UploadLengthHeader, "The bytes to upload: exactly the transfer's `upload.length` (deferred length is not supported).", required: true)
        .WithRequestHeader(TusProtocol.UploadMetadataHeader, "`transferId <base64 of the transfer's id>`; other keys (e.g. `filename`) are ignored.", required: true)
        .WithResponseHeader(StatusCodes.Status201Created, "Location", "The upload's URL.")
        .ProducesProblems([ProblemCodes.TransferNotFound, ProblemCodes.TransferWrongState, ProblemCodes.UploadLengthMismatch, ProblemCodes.UploadExists,
            ProblemCodes.UploadQuotaExceeded, ProblemCodes.UploadStorageQuotaExceeded, .. TransferService.FinishRefusals]);

    public static RouteHandlerBuilder DescribeHead(this RouteHandlerBuilder endpoint) => endpoint
        .WithName("GetUploadOffset").WithSummary("Find where to resume")
        .WithDescription("The upload's offset: the bytes stored so far, from which the next PATCH continues.")
        .TusRequest(StatusCodes.Status200OK)
        .WithResponseHeader(StatusCodes.Status200OK, TusProtocol.UploadOffsetHeader, "The bytes stored so far.")
        .WithResponseHeader(StatusCodes.Status200OK, TusProtocol.UploadLengthHeader, "The bytes the upload takes in all.")
        .ProducesProblems(ProblemCodes.UploadNotFound);

    public static RouteHandlerBuilder DescribeAppend(this RouteHandlerBuilder endpoint) => endpoint
        .WithName("AppendToUpload").WithSummary("Send bytes")
        .WithDescription("Appends the body at Upload-Offset. A dropped connection keeps what arrived (unless a checksum was sent); "
            + "the last byte verifies and delivers the transfer. One PATCH at a time per upload.")
        .TusRequest(StatusCodes.Status204NoContent)
        .WithBinaryBody("application/offset+octet-stream", "The next bytes of the upload.")
        .WithRequestHeader(TusProtocol.UploadOffsetHeader, "Where these bytes start: the upload's current offset.", required: true)
        .WithRequestHeader(TusProtocol.UploadChecksumHeader, "`sha1 <base64>` or `sha256 <base64>` of this PATCH's body; a mismatch discards it (460).")
        .WithResponseHeader(StatusCodes.Status204NoContent, TusProtocol.UploadOffsetHeader, "The offset after these bytes.")
        .ProducesProblems([ProblemCodes.RequestUnsupportedMediaType, ProblemCodes.UploadNotFound, ProblemCodes.UploadOffsetMismatch,
            ProblemCodes.UploadLocked, ProblemCodes.UploadTooLong, ProblemCodes.UploadChecksumMismatch, .. TransferService.FinishRefusals]);

    public static RouteHandlerBuilder DescribeTerminate(this RouteHandlerBuilder endpoint) => endpoint
        .WithName("DeleteUpload").WithSummary("Cancel an upload")
        .WithDescription("Deletes the upload and fails its transfer as `transfer.cancelled` (tus termination).")
        .TusRequest(StatusCodes.Status204NoContent)
        .ProducesProblems(ProblemCodes.UploadNotFound);
}
