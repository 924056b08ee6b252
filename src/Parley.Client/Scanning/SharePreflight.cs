using Parley.Core.Problems;
using Parley.Core.Transfer;

namespace Parley.Client.Scanning;

/// <summary>A file that passed the first detection, and its signed identifier.</summary>
internal sealed record PassedScan(LocalScanResult Result, string Identifier, string? MediaType);

/// <summary>
/// The client's side of a scanned share (docs/scanning.md, "The client side"), for every kind of share: the first
/// detection before the server learns anything about the content, the identifier on the announcement, one retry when
/// the server's library moved on, the server's <c>share.blocked</c> as a <see cref="ShareBlockedException"/>, and the
/// share remembered for rescans.
/// </summary>
internal static class SharePreflight
{
    /// <summary>
    /// Syncs the library to the server's newest version, then scans <paramref name="content"/> (from its start; two reads).
    /// Null when the client has no <see cref="ParleyClient.Scanning"/>: the share then carries no identifier.
    /// </summary>
    /// <exception cref="ShareBlockedException">The file did not pass (<see cref="ScanStage.Local"/>).</exception>
    public static async Task<PassedScan?> CheckAsync(ParleyClient client, Stream content, string fileName, string? mediaType, CancellationToken ct)
    {
        if (client.Scanning is not { } scanning) return null;
        var scanner = await ScannerAsync(client, scanning, ct);
        return Passed(scanner, scanning, await scanner.ScanAsync(content, fileName, mediaType, ct), mediaType);
    }

    /// <summary>
    /// <see cref="CheckAsync"/> and the content id, in one read of the content (content id first, docs/transfer.md: the
    /// manifest waits until the server says bytes must travel). Without scanning, only the content id.
    /// </summary>
    public static async Task<(PassedScan? Scan, ContentId Id, long Size)> CheckAndIdentifyAsync(
        ParleyClient client, Stream content, string fileName, string? mediaType, CancellationToken ct)
    {
        content.Position = 0;
        if (client.Scanning is null)
        {
            var (id, size) = await ContentScanner.HashAsync(content, ct);
            return (null, id, size);
        }
        var scan = await CheckAsync(client, content, fileName, mediaType, ct);
        return (scan, scan!.Result.ContentId, scan.Result.Size);
    }

    /// <summary>
    /// <see cref="CheckAsync"/> and the chunk manifest of the transfer in one read of the content (it is fed to the scan
    /// while it is cut into chunks): two reads in all, then the proof's. Without scanning, only the manifest.
    /// </summary>
    public static async Task<(PassedScan? Scan, ContentManifest Manifest)> CheckAndHashAsync(
        ParleyClient client, Stream content, string fileName, string? mediaType, IProgress<long>? progress, CancellationToken ct)
    {
        if (client.Scanning is not { } scanning)
        {
            content.Position = 0;
            return (null, await ContentScanner.ScanAsync(content, progress, ct));
        }
        var scanner = await ScannerAsync(client, scanning, ct);
        var (result, manifest) = await scanner.ScanForShareAsync(content, fileName, mediaType, progress, ct);
        return (Passed(scanner, scanning, result, mediaType), manifest);
    }

    /// <summary>A scanner of the library synced to the server's newest version: an identifier older than it would only be refused as stale.</summary>
    private static async Task<LocalScanner> ScannerAsync(ParleyClient client, ShareScanning scanning, CancellationToken ct) =>
        new(await scanning.Library.SyncAsync(client, ct), scanning.Limits, scanning.Time);

    private static PassedScan Passed(LocalScanner scanner, ShareScanning scanning, LocalScanResult result, string? mediaType) =>
        result.Passed ? new PassedScan(result, scanner.Sign(result, scanning.Key).Encode(), mediaType) : throw ShareBlockedException.Local(result);

    /// <summary>
    /// Announces the share with <paramref name="scan"/>'s identifier. On <c>share.identifier_stale</c> the library is
    /// synced, the file scanned and signed again, and the announcement retried once; a second refusal is thrown.
    /// </summary>
    /// <returns>The transfer, and the scan whose identifier it carries.</returns>
    public static async Task<(TransferDto Transfer, PassedScan? Scan)> AnnounceAsync(
        ParleyClient client, Stream content, PassedScan? scan, Func<string?, CreateTransferRequest> request, CancellationToken ct)
    {
        try
        {
            return (await Blocking(scan?.Result.FileName, () => client.CreateTransferAsync(request(scan?.Identifier), ct)), scan);
        }
        catch (ParleyApiException e) when (e.Code == ProblemCodes.ShareIdentifierStale && scan is not null)
        {
            var again = await CheckAsync(client, content, scan.Result.FileName, scan.MediaType, ct);
            return (await Blocking(scan.Result.FileName, () => client.CreateTransferAsync(request(again!.Identifier), ct)), again);
        }
    }

    /// <summary>Runs a step of the share, turning the server's <c>share.blocked</c> into a <see cref="ShareBlockedException"/>.</summary>
    public static async Task<T> Blocking<T>(string? fileName, Func<Task<T>> step)
    {
        try
        {
            return await step();
        }
        catch (ParleyApiException e) when (e.Code == ProblemCodes.ShareBlocked)
        {
            throw ShareBlockedException.Server(fileName ?? "the file", e);
        }
    }

    /// <summary>
    /// A transfer that ended failed with <c>share.blocked</c> (the answer that said so was lost, e.g. a cut connection after
    /// the last byte): the same refusal, without the findings the lost answer held.
    /// </summary>
    public static void ThrowIfBlocked(TransferDto transfer, string fileName)
    {
        if (transfer is { State: TransferState.Failed, Failure: ProblemCodes.ShareBlocked })
            throw ShareBlockedException.Server(fileName, new ParleyApiException(422, ProblemCodes.ShareBlocked, "Share blocked",
                $"Transfer {transfer.Id} failed: the server's scan blocked it."));
    }

    /// <summary>Remembers a delivered share for rescans after library updates (when the client keeps a list).</summary>
    public static void Remember(ParleyClient client, string path, PassedScan? scan)
    {
        if (scan is null || client.Scanning?.RecentShares is not { } recent) return;
        recent.Remember(new RecentShare(Path.GetFullPath(path), scan.MediaType, scan.Result.ContentId.ToString(), scan.Identifier,
            scan.Result.LibraryVersion, client.Scanning.Time.GetUtcNow()));
    }
}
