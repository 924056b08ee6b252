namespace Parley.Server.Storage;

/// <summary>
/// One published version of the scanning feature library: the changes it made, as a <c>parley-features-delta 1</c>
/// text from the version before. The version is the key, so two nodes publishing at once cannot both store the
/// same one: the loser's insert fails and it builds on the winner's (<c>FeatureLibraryService</c>).
/// </summary>
public sealed class FeatureLibraryVersion
{
    public required long Version { get; init; }
    public required string Delta { get; init; }
    public required string PublishedBy { get; init; }
    public required DateTimeOffset PublishedAt { get; init; }
    /// <summary>When a node took on rescanning the stored media against this version's new features (retroactive quarantine).</summary>
    public DateTimeOffset? RescanClaimedAt { get; set; }
    /// <summary>When that rescan finished; a claim that never finishes is taken over after a while.</summary>
    public DateTimeOffset? RescannedAt { get; set; }
}

/// <summary>One verdict of the second detection (docs/scanning.md, "Verdicts"); findings and timings are JSON arrays.</summary>
public sealed class ScanVerdict
{
    public required string Id { get; init; }
    public required string ContentId { get; init; }
    public required string UserId { get; init; }
    public string? DeviceId { get; init; }
    public string? FileName { get; init; }
    public required string MediaType { get; init; }
    public required long LibraryVersion { get; init; }
    public required bool Passed { get; init; }
    public required string Findings { get; init; }
    public required string Timings { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// Delivered media that a library version published later matched. While <see cref="ReleasedAt"/> is null it is
/// served to no one; an operator's release keeps the row, so rescans against versions up to
/// <see cref="ReleasedAtVersion"/> do not quarantine it again.
/// </summary>
public sealed class Quarantine
{
    public required string ContentId { get; init; }
    public required long LibraryVersion { get; set; }
    /// <summary>The findings, a JSON array of <c>ScanFinding</c>.</summary>
    public required string Reasons { get; set; }
    public required DateTimeOffset QuarantinedAt { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
    public string? ReleasedBy { get; set; }
    public long? ReleasedAtVersion { get; set; }
}
