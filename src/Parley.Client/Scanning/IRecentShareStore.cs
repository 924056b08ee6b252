namespace Parley.Client.Scanning;

/// <summary>
/// The files this device shared recently, newest first and at most <see cref="RecentShares.Capacity"/>, so that after a
/// feature library update they can be scanned again (<see cref="RecentShareRescanner"/>): a file that now fails is
/// reported, one that passes gets a fresh identifier.
/// </summary>
public interface IRecentShareStore
{
    IReadOnlyList<RecentShare> List();

    /// <summary>Adds <paramref name="share"/> (replacing an entry of the same path and content), keeps the list newest first by <see cref="RecentShare.SharedAt"/>, and drops the oldest beyond the capacity.</summary>
    void Remember(RecentShare share);

    /// <summary>Forgets the entry of this path and content id; forgetting one that is not there is harmless.</summary>
    void Forget(string path, string contentId);
}

/// <param name="Path">The full path of the file shared.</param>
/// <param name="MediaType">The media type it was shared as; null when judged by its name.</param>
/// <param name="Identifier">The latest local security identifier of the content.</param>
/// <param name="LibraryVersion">The feature library version <paramref name="Identifier"/> was signed against.</param>
public sealed record RecentShare(string Path, string? MediaType, string ContentId, string Identifier, long LibraryVersion, DateTimeOffset SharedAt);

public static class RecentShares
{
    public const int Capacity = 50;

    /// <summary>The list after remembering <paramref name="share"/>: its older entry gone, newest first, the oldest beyond the capacity dropped.</summary>
    public static IReadOnlyList<RecentShare> With(IEnumerable<RecentShare> list, RecentShare share) =>
        [.. list.Where(s => !Same(s, share.Path, share.ContentId)).Append(share).OrderByDescending(s => s.SharedAt).Take(Capacity)];

    internal static bool Same(RecentShare share, string path, string contentId) =>
        share.Path == path && share.ContentId == contentId;
}
