using Parley.Core.Problems;

namespace Parley.Server.Problems;

/// <summary>
/// The HTTP status each problem code is answered with, in one place: the OpenAPI document declares an
/// endpoint's problem responses from its codes (<see cref="ApiDocs.ProblemResponses"/>), so a code cannot be
/// documented under one status and sent under another. Codes that only name why a transfer or a passphrase
/// session ended (<c>transfer.cancelled</c>, <c>passphrase.mismatch</c>, …) are never an HTTP answer and are not here.
/// </summary>
public static class ProblemStatuses
{
    private static readonly Dictionary<string, int> Statuses = new()
    {
        [ProblemCodes.RequestInvalid] = 400, [ProblemCodes.RequestTooLarge] = 413, [ProblemCodes.RequestUnsupportedMediaType] = 415,
        [ProblemCodes.MethodNotAllowed] = 405, [ProblemCodes.NotFound] = 404, [ProblemCodes.RateLimited] = 429,
        [ProblemCodes.RequestRateLimited] = 429, [ProblemCodes.ServerError] = 500, [ProblemCodes.ServerUnavailable] = 503,
        [ProblemCodes.MetricsForbidden] = 403,
        [ProblemCodes.ScanOperatorOnly] = 403, [ProblemCodes.ScanInvalidFeatures] = 400,
        [ProblemCodes.ScanNotQuarantined] = 404, [ProblemCodes.ShareIdentifierMissing] = 400, [ProblemCodes.ShareIdentifierInvalid] = 422,
        [ProblemCodes.ShareIdentifierStale] = 409, [ProblemCodes.ShareBlocked] = 422, [ProblemCodes.ShareNotSealable] = 422,
        [ProblemCodes.MediaQuarantined] = 451,
        [ProblemCodes.ViewNotVideo] = 422, [ProblemCodes.ViewNotPlayable] = 422, [ProblemCodes.ViewShareInvalid] = 400,
        [ProblemCodes.ViewSignatureInvalid] = 422, [ProblemCodes.ViewPlayNotFound] = 404, [ProblemCodes.ViewPlayEnded] = 410,
        [ProblemCodes.ViewReportMalformed] = 400, [ProblemCodes.ViewReportRejected] = 422, [ProblemCodes.ViewRecordsForbidden] = 403,

        [ProblemCodes.AuthRequired] = 401, [ProblemCodes.AuthInvalidToken] = 401, [ProblemCodes.AuthInvalidCredentials] = 401,
        [ProblemCodes.AuthAccountThrottled] = 429, [ProblemCodes.AuthForbidden] = 403,

        [ProblemCodes.AccountInvalidName] = 400, [ProblemCodes.AccountWeakPassword] = 400, [ProblemCodes.AccountNameTaken] = 409,
        [ProblemCodes.UserNotFound] = 404,

        [ProblemCodes.DeviceInvalidName] = 400, [ProblemCodes.DeviceInvalidKey] = 400, [ProblemCodes.DeviceInvalidProof] = 400,
        [ProblemCodes.DeviceKeyTaken] = 409, [ProblemCodes.DeviceNotFound] = 400,

        [ProblemCodes.RoomInvalidName] = 400, [ProblemCodes.RoomNotFound] = 404, [ProblemCodes.RoomNotMember] = 403,
        [ProblemCodes.RoomNotInvited] = 403, [ProblemCodes.RoomAlreadyMember] = 409, [ProblemCodes.RoomDirectFixed] = 409,

        [ProblemCodes.MessageInvalidText] = 400, [ProblemCodes.MessageToSelf] = 400, [ProblemCodes.MessageInvalidCursor] = 400,
        [ProblemCodes.MessageRateLimited] = 429, [ProblemCodes.MessageNotFound] = 404, [ProblemCodes.MessageNotSender] = 403,
        [ProblemCodes.MessageDeleted] = 409, [ProblemCodes.MessageInvalidReply] = 400,

        [ProblemCodes.TransferInvalidContentId] = 400, [ProblemCodes.TransferTooLarge] = 413, [ProblemCodes.TransferInvalidManifest] = 400,
        [ProblemCodes.TransferNoTarget] = 400, [ProblemCodes.TransferNotFound] = 404, [ProblemCodes.TransferWrongState] = 409,
        [ProblemCodes.TransferProofFailed] = 403, [ProblemCodes.TransferHashMismatch] = 422, [ProblemCodes.TransferCentralUnavailable] = 502,
        [ProblemCodes.TransferManifestExists] = 409,
        [ProblemCodes.TransferRateLimited] = 429, [ProblemCodes.UploadQuotaExceeded] = 429, [ProblemCodes.UploadStorageQuotaExceeded] = 403,

        [ProblemCodes.UploadNotFound] = 404, [ProblemCodes.UploadOffsetMismatch] = 409, [ProblemCodes.UploadChecksumMismatch] = 460,
        [ProblemCodes.UploadTooLong] = 413, [ProblemCodes.UploadLengthMismatch] = 400, [ProblemCodes.UploadExists] = 409,
        [ProblemCodes.UploadLocked] = 423, [ProblemCodes.TusVersionUnsupported] = 412,

        [ProblemCodes.MediaNotFound] = 404, [ProblemCodes.NodeUnauthorized] = 401,

        [ProblemCodes.PassphraseNotFound] = 404, [ProblemCodes.PassphraseWrongState] = 409, [ProblemCodes.PassphraseTimeoutT1] = 409,
        [ProblemCodes.PassphraseTimeoutT2] = 409, [ProblemCodes.PassphraseInvalidShare] = 400, [ProblemCodes.PassphraseInvalidFrame] = 400,
        [ProblemCodes.PassphraseNoSlot] = 503, [ProblemCodes.PassphraseRateLimited] = 429, [ProblemCodes.PassphraseSelf] = 400,

        [ProblemCodes.TicketTampered] = 403, [ProblemCodes.TicketExpired] = 403, [ProblemCodes.TicketReplayed] = 409,
        [ProblemCodes.TicketWrongRoom] = 403, [ProblemCodes.TicketWrongUser] = 403, [ProblemCodes.TicketUnknownKey] = 403,
        [ProblemCodes.BroadcastNotImage] = 400, [ProblemCodes.BroadcastWrongRole] = 409, [ProblemCodes.BroadcastUploadUnavailable] = 502,
    };

    /// <summary>The status <paramref name="code"/> is answered with; a code that is never an HTTP answer is a programming error.</summary>
    public static int Of(string code) => Statuses.TryGetValue(code, out var status)
        ? status
        : throw new ArgumentException($"'{code}' is not a problem code that an endpoint answers with.", nameof(code));

    public static IEnumerable<string> Codes => Statuses.Keys;
}
