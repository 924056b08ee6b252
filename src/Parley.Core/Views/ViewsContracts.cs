namespace Parley.Core.Views;

/// <summary><c>GET /api/views/key</c>: the server's long-term view key, which signs every play's server share. Clients pin it.</summary>
/// <param name="KeyId"><c>vk_</c> and the first 16 hex digits of SHA-256 of <paramref name="PublicKey"/>'s bytes.</param>
/// <param name="PublicKey">ECDSA P-256 SubjectPublicKeyInfo, base64url without padding.</param>
public sealed record ViewKeyDto(string KeyId, string PublicKey);

/// <summary><c>POST /api/views/plays</c>: start playing a video (docs/views.md, "Start of play").</summary>
/// <param name="Media">The message id that carries the video (what <c>parley fetch</c> takes).</param>
/// <param name="ClientShare">The client's ephemeral ECDH P-256 public key, uncompressed point (65 bytes), base64url.</param>
/// <param name="DeviceSignature">The device key's ECDSA-SHA256 signature, IEEE P1363 (64 bytes), base64url, over <see cref="PlayTranscript.StartText"/>.</param>
public sealed record StartPlayRequest(string Media, string ClientShare, string DeviceSignature);

/// <summary>The server's answer to a play start: its signed share, the two instructions, and where to stream from.</summary>
/// <param name="ServerSignature">The view key's ECDSA-SHA256 signature (P1363, base64url) over <see cref="PlayTranscript"/>'s bytes.</param>
/// <param name="SealedEveryMs">First instruction: send a sealed (encrypted) report every this many milliseconds.</param>
/// <param name="PlainEveryMs">Second instruction: send a plaintext report every this many milliseconds.</param>
/// <param name="ToleranceMs">How far from its period a report may arrive (docs/views.md, "Checks").</param>
/// <param name="StreamUrl">Relative URL of this play's stream (HTTP ranges); it carries its own access token, so a &lt;video&gt; element can use it.</param>
public sealed record PlayStartedDto(
    string PlayId,
    string Media,
    string ContentId,
    string UserId,
    string DeviceId,
    string ServerShare,
    string ServerSignature,
    string KeyId,
    long SealedEveryMs,
    long PlainEveryMs,
    long ToleranceMs,
    string StreamUrl,
    string MediaType,
    long Size,
    long DurationMs,
    long BitRate,
    DateTimeOffset StartedAt);

/// <summary><c>POST /api/views/plays/{playId}/reports</c>: exactly one of the two, base64url (docs/views.md, "Reports").</summary>
/// <param name="Sealed">A <see cref="SealedReport"/> envelope: counter ‖ nonce ‖ AES-256-GCM ciphertext ‖ tag.</param>
/// <param name="Plain">A <see cref="PlayReport"/> in clear.</param>
public sealed record PlayReportRequest(string? Sealed = null, string? Plain = null);

/// <summary>A report passed every check; <paramref name="NextDueMs"/> is when the next of its kind is due, from now.</summary>
public sealed record PlayReportAcceptedDto(string Kind, long Counter, long NextDueMs);

/// <summary>
/// One play's record. <paramref name="Verdict"/> is <c>open</c>, <c>legal</c> or <c>illegal</c>;
/// <paramref name="Reasons"/> holds each failed check's reason code (docs/views.md) and, for a play that ended by
/// itself, how it ended (<c>view.ended</c>, <c>view.expired</c>); <paramref name="Counted"/> is true for a legal record
/// that watched at least the minimum share: a view.
/// </summary>
public sealed record PlayRecordDto(
    string PlayId,
    string Media,
    string ContentId,
    string UserName,
    string Verdict,
    IReadOnlyList<string> Reasons,
    bool Counted,
    double WatchedShare,
    long BytesServed,
    long BytesReported,
    int SealedReports,
    int PlainReports,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt);

/// <summary><c>GET /api/views/media/{media}</c>: the video's view count (legal, counted records only).</summary>
public sealed record ViewCountDto(string Media, string ContentId, long Views, long OpenPlays);

/// <summary><c>GET /api/views/media/{media}/records</c>: every record of the video, for its sender and for operators.</summary>
public sealed record PlayRecordListDto(string Media, IReadOnlyList<PlayRecordDto> Records);

/// <summary>Live event <c>viewCounted</c>, to the members of the room: a play of a video there ended legal and counted.</summary>
public sealed record ViewCountedEvent(string RoomId, string Media, long Views);

/// <summary>The verdict words of <see cref="PlayRecordDto.Verdict"/>.</summary>
public static class PlayVerdicts
{
    public const string Open = "open";
    public const string Legal = "legal";
    public const string Illegal = "illegal";
}

/// <summary>The kind words of <see cref="PlayReportAcceptedDto.Kind"/>.</summary>
public static class ReportKinds
{
    public const string Sealed = "sealed";
    public const string Plain = "plain";
}
