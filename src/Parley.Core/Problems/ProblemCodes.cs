namespace Parley.Core.Problems;

/// <summary>
/// Stable, machine-readable codes carried as the <c>code</c> member of every problem details
/// answer. Clients branch on these, never on titles or status codes alone, so a code never changes meaning.
/// </summary>
public static class ProblemCodes
{
    public const string RequestInvalid = "request.invalid";
    public const string RequestTooLarge = "request.too_large";
    public const string RequestUnsupportedMediaType = "request.unsupported_media_type";
    public const string MethodNotAllowed = "request.method_not_allowed";
    public const string NotFound = "not_found";
    public const string RateLimited = "rate_limited";
    public const string RequestRateLimited = "request.rate_limited";
    public const string ServerError = "server.error";
    public const string ServerUnavailable = "server.unavailable";
    public const string MetricsForbidden = "metrics.forbidden";

    public const string AuthRequired = "auth.required";
    public const string AuthInvalidToken = "auth.invalid_token";
    public const string AuthInvalidCredentials = "auth.invalid_credentials";
    public const string AuthAccountThrottled = "auth.account_throttled";
    public const string AuthForbidden = "auth.forbidden";

    public const string AccountInvalidName = "account.invalid_name";
    public const string AccountWeakPassword = "account.weak_password";
    public const string AccountNameTaken = "account.name_taken";
    public const string UserNotFound = "user.not_found";

    public const string DeviceInvalidName = "device.invalid_name";
    public const string DeviceInvalidKey = "device.invalid_key";
    public const string DeviceInvalidProof = "device.invalid_proof";
    public const string DeviceKeyTaken = "device.key_taken";
    public const string DeviceNotFound = "device.not_found";

    public const string RoomInvalidName = "room.invalid_name";
    public const string RoomNotFound = "room.not_found";
    public const string RoomNotMember = "room.not_member";
    public const string RoomNotInvited = "room.not_invited";
    public const string RoomAlreadyMember = "room.already_member";
    public const string RoomDirectFixed = "room.direct_fixed";

    public const string MessageInvalidText = "message.invalid_text";
    public const string MessageToSelf = "message.to_self";
    public const string MessageInvalidCursor = "message.invalid_cursor";
    public const string MessageRateLimited = "message.rate_limited";
    public const string MessageNotFound = "message.not_found";
    public const string MessageNotSender = "message.not_sender";
    public const string MessageDeleted = "message.deleted";
    public const string MessageInvalidReply = "message.invalid_reply";

    public const string TransferInvalidContentId = "transfer.invalid_content_id";
    public const string TransferTooLarge = "transfer.too_large";
    public const string TransferInvalidManifest = "transfer.invalid_manifest";
    public const string TransferNoTarget = "transfer.no_target";
    public const string TransferNotFound = "transfer.not_found";
    public const string TransferWrongState = "transfer.wrong_state";
    public const string TransferProofFailed = "transfer.proof_failed";
    public const string TransferHashMismatch = "transfer.hash_mismatch";
    public const string TransferCancelled = "transfer.cancelled";
    public const string TransferExpired = "transfer.expired";
    public const string TransferCentralUnavailable = "transfer.central_unavailable";
    public const string TransferRateLimited = "transfer.rate_limited";
    public const string TransferInterrupted = "transfer.interrupted";
    public const string TransferManifestExists = "transfer.manifest_exists";
    public const string UploadQuotaExceeded = "upload.quota_exceeded";
    public const string UploadStorageQuotaExceeded = "upload.storage_quota_exceeded";

    public const string UploadNotFound = "upload.not_found";
    public const string UploadOffsetMismatch = "upload.offset_mismatch";
    public const string UploadChecksumMismatch = "upload.checksum_mismatch";
    public const string UploadTooLong = "upload.too_long";
    public const string UploadLengthMismatch = "upload.length_mismatch";
    public const string UploadExists = "upload.exists";
    public const string UploadLocked = "upload.locked";
    public const string TusVersionUnsupported = "tus.version_unsupported";

    public const string MediaNotFound = "media.not_found";
    public const string NodeUnauthorized = "node.unauthorized";

    public const string PassphraseNotFound = "passphrase.not_found";
    public const string PassphraseWrongState = "passphrase.wrong_state";
    public const string PassphraseTimeoutT1 = "passphrase.timeout_t1";
    public const string PassphraseTimeoutT2 = "passphrase.timeout_t2";
    public const string PassphraseMismatch = "passphrase.mismatch";
    public const string PassphraseInvalidShare = "passphrase.invalid_share";
    public const string PassphraseInvalidFrame = "passphrase.invalid_frame";
    public const string PassphraseNoSlot = "passphrase.no_slot";
    public const string PassphraseRateLimited = "passphrase.rate_limited";
    public const string PassphraseSelf = "passphrase.self";

    public const string TicketTampered = "ticket.tampered";
    public const string TicketExpired = "ticket.expired";
    public const string TicketReplayed = "ticket.replayed";
    public const string TicketWrongRoom = "ticket.wrong_room";
    public const string TicketWrongUser = "ticket.wrong_user";
    public const string TicketUnknownKey = "ticket.unknown_key";
    public const string BroadcastNotImage = "broadcast.not_image";
    public const string BroadcastWrongRole = "broadcast.wrong_role";
    public const string BroadcastUploadUnavailable = "broadcast.upload_unavailable";

    public const string ScanOperatorOnly = "scan.operator_only";
    public const string ScanInvalidFeatures = "scan.invalid_features";
    public const string ScanNotQuarantined = "scan.not_quarantined";

    public const string ShareIdentifierMissing = "share.identifier_missing";
    public const string ShareIdentifierInvalid = "share.identifier_invalid";
    public const string ShareIdentifierStale = "share.identifier_stale";
    public const string ShareBlocked = "share.blocked";
    public const string ShareNotSealable = "share.not_sealable";
    public const string MediaQuarantined = "media.quarantined";

    public const string ViewNotVideo = "view.not_video";
    public const string ViewNotPlayable = "view.not_playable";
    public const string ViewShareInvalid = "view.share_invalid";
    public const string ViewSignatureInvalid = "view.signature_invalid";
    public const string ViewPlayNotFound = "view.play_not_found";
    public const string ViewPlayEnded = "view.play_ended";
    public const string ViewReportMalformed = "view.report_malformed";
    public const string ViewReportRejected = "view.report_rejected";
    public const string ViewRecordsForbidden = "view.records_forbidden";
}
