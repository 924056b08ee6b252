using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;

namespace Parley.Client.Scanning;

public enum RescanOutcome
{
    /// <summary>Still passes: its identifier was signed again against the new version.</summary>
    Passed,

    /// <summary>Now fails: the new library matches what was shared. The entry is forgotten, so it is reported once.</summary>
    Failed,

    /// <summary>The file is gone or holds other bytes now: nothing to check; the entry is forgotten.</summary>
    Gone,
}

/// <param name="Findings">Why it fails now; empty unless <see cref="RescanOutcome.Failed"/>.</param>
public sealed record RecentShareRescan(RecentShare Share, RescanOutcome Outcome, IReadOnlyList<ScanFinding> Findings);

/// <summary>
/// After a feature library update (<see cref="ParleyLive.LibraryUpdated"/>), scans the files this device shared
/// recently against the new version: what passes gets a fresh identifier, what now fails is reported, so the user
/// learns that something they sent carried a payload the server has since learned about.
/// </summary>
public sealed class RecentShareRescanner(ParleyClient client, ShareScanning scanning, IRecentShareStore recent)
{
    /// <summary>Applies <paramref name="update"/> to the local library (or fetches what was missed), then rescans.</summary>
    public async Task<IReadOnlyList<RecentShareRescan>> OnLibraryUpdatedAsync(LibraryUpdatedEvent update, CancellationToken ct = default) =>
        await RescanAsync(await scanning.Library.ApplyAsync(update, client, ct), ct);

    /// <summary>Scans every remembered file against <paramref name="library"/>; entries already checked at its version are skipped.</summary>
    public async Task<IReadOnlyList<RecentShareRescan>> RescanAsync(FeatureLibrary library, CancellationToken ct = default)
    {
        var scanner = new LocalScanner(library, scanning.Limits, scanning.Time);
        var results = new List<RecentShareRescan>();
        foreach (var share in recent.List().Where(s => s.LibraryVersion < library.Version))
            results.Add(await RescanAsync(scanner, share, ct));
        return results;
    }

    private async Task<RecentShareRescan> RescanAsync(LocalScanner scanner, RecentShare share, CancellationToken ct)
    {
        LocalScanResult result;
        try
        {
            result = await scanner.ScanFileAsync(share.Path, share.MediaType, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Forget(share, RescanOutcome.Gone, []);
        }
        if (result.ContentId.ToString() != share.ContentId) return Forget(share, RescanOutcome.Gone, []);
        if (!result.Passed) return Forget(share, RescanOutcome.Failed, result.Findings);
        var refreshed = share with { Identifier = scanner.Sign(result, scanning.Key).Encode(), LibraryVersion = result.LibraryVersion };
        recent.Remember(refreshed);
        return new RecentShareRescan(refreshed, RescanOutcome.Passed, []);
    }

    private RecentShareRescan Forget(RecentShare share, RescanOutcome outcome, IReadOnlyList<ScanFinding> findings)
    {
        recent.Forget(share.Path, share.ContentId);
        return new RecentShareRescan(share, outcome, findings);
    }
}
