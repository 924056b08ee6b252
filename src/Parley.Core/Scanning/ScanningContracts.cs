namespace Parley.Core.Scanning;

/// <summary>
/// One verdict of the server's second detection (docs/scanning.md, "Verdicts"): who shared what, against which
/// library version, what each detector found and cost. <see cref="Id"/> is <c>v_…</c>.
/// </summary>
public sealed record ScanVerdictDto(
    string Id,
    string ContentId,
    string UserName,
    string? DeviceId,
    string? FileName,
    string MediaType,
    long LibraryVersion,
    bool Passed,
    IReadOnlyList<ScanFinding> Findings,
    IReadOnlyList<DetectorTiming> Timings,
    DateTimeOffset At);

/// <summary>Media a newer library version matched after it was delivered: not served to anyone until an operator releases it.</summary>
public sealed record QuarantineDto(string ContentId, long LibraryVersion, IReadOnlyList<ScanFinding> Reasons, DateTimeOffset At, IReadOnlyList<string> RoomIds);

/// <summary>Live event <c>mediaQuarantined</c>, to the members of <see cref="RoomId"/>: its messages that carry the media.</summary>
public sealed record MediaQuarantinedEvent(string ContentId, string RoomId, IReadOnlyList<string> MessageIds, IReadOnlyList<ScanFinding> Reasons);

/// <summary>Live event <c>mediaReleased</c>, to the members of <see cref="RoomId"/>: an operator released the media; it is served again.</summary>
public sealed record MediaReleasedEvent(string ContentId, string RoomId, IReadOnlyList<string> MessageIds);

/// <summary><c>GET /api/scanning/me</c>: whether the caller is one of the server's operators, so clients know whether to show operator pages.</summary>
public sealed record ScanningAccountDto(bool Operator);

public static class ScanningEvents
{
    public const string MediaQuarantined = "mediaQuarantined";
    public const string MediaReleased = "mediaReleased";
}

/// <summary>The extension members of the share refusals (docs/scanning.md, "Refusals").</summary>
public static class ShareRefusalMembers
{
    /// <summary><c>share.blocked</c>: the second detection's findings, a list of <see cref="ScanFinding"/>.</summary>
    public const string Findings = "findings";

    /// <summary><c>share.blocked</c>: the stored verdict's id.</summary>
    public const string VerdictId = "verdictId";

    /// <summary><c>share.identifier_stale</c>: the server's current library version, to sync to before signing again.</summary>
    public const string LibraryVersion = "libraryVersion";
}
