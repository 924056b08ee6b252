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
}
