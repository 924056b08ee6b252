using Parley.Cli.Output;
using Parley.Cli.Session;
using Parley.Client;
using Parley.Client.Scanning;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;

namespace Parley.Cli.Scanning;

/// <summary>
/// For the commands that follow live events (<c>listen</c>, <c>talk</c>): each <c>libraryUpdated</c> is applied to this
/// install's library copy, then the files this account shared recently are scanned again; a line is printed for the
/// update and for each file that now fails. Updates are handled one at a time, in order.
/// </summary>
internal sealed class LibraryFollowing(CliContext cli, ParleyClient client, Action<string, object, string> print)
{
    public const string LibraryUpdatedType = "libraryUpdated";
    public const string ShareFailingType = "shareFailing";

    /// <summary>An update that could not be applied (the server unreachable, a damaged copy); the next one catches up.</summary>
    public const string UpdateFailed = "client.library_update_failed";

    private readonly SemaphoreSlim _one = new(1, 1);

    /// <param name="print">Prints an event: its type, its JSON data and its human markup (e.g. <see cref="CliOutput.Event"/>).</param>
    public static void Follow(CliContext cli, ParleyClient client, ParleyLive live, Action<string, object, string> print)
    {
        var following = new LibraryFollowing(cli, client, print);
        live.LibraryUpdated += update => _ = following.HandleAsync(update);
    }

    private async Task HandleAsync(LibraryUpdatedEvent update)
    {
        await _one.WaitAsync();
        try
        {
            var store = client.Scanning?.Library ?? new LocalFeatureStore(cli.Home.FeatureLibraryPath(cli.Server));
            // Applied before it is announced: whoever reads the line can already scan with the new version.
            var library = await store.ApplyAsync(update, client);
            print(LibraryUpdatedType, new LibraryVersionLine(library.Version, update.From),
                $"[grey]The feature library is now at version {library.Version}; rechecking what you shared recently…[/]");
            // Without a device key nothing was shared from this install, but the copy stays current for 'parley scan'.
            if (client.Scanning is not { RecentShares: { } recent } scanning) return;
            var rescans = await new RecentShareRescanner(client, scanning, recent).RescanAsync(library);
            foreach (var failing in rescans.Where(r => r.Outcome == RescanOutcome.Failed)) PrintFailing(failing);
        }
        catch (Exception e) when (e is ParleyApiException or HttpRequestException or IOException or FeatureFormatException or InvalidOperationException)
        {
            // A failed update costs the rescans, not the listening: the next update or 'parley features' catches up.
            cli.Output.Error(new CliFailure(null, UpdateFailed, $"Could not apply feature library version {update.Version}: {e.Message}"));
        }
        finally
        {
            _one.Release();
        }
    }

    private void PrintFailing(RecentShareRescan rescan) =>
        print(ShareFailingType, new ShareFailingLine(rescan.Share.Path, rescan.Share.ContentId, rescan.Findings),
            $"[red]now fails the scan[/]: {HumanText.Escape(rescan.Share.Path)} (shared {rescan.Share.SharedAt:u})" +
            string.Concat(rescan.Findings.Select(f => $"\n  {HumanText.Escape(f.Code)} — {HumanText.Escape(f.Detail)}")));

    private sealed record LibraryVersionLine(long Version, long From);

    private sealed record ShareFailingLine(string Path, string ContentId, IReadOnlyList<ScanFinding> Findings);
}
