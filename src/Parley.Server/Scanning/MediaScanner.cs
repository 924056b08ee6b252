using System.Diagnostics;
using Parley.Core.Scanning;

namespace Parley.Server.Scanning;

/// <summary>
/// The server's second detection of one file: every finding, what each detector cost, and the verdict; for a video or
/// audio file FFmpeg decoded cleanly, its container's facts.
/// </summary>
public sealed record MediaScanReport(IReadOnlyList<ScanFinding> Findings, IReadOnlyList<DetectorTiming> Timings, ContainerFacts? Container = null)
{
    public bool Passed => Findings.Count == 0;
}

/// <summary>
/// The server's second detection (SPEC §3), for the share path to call before any member can see a file: the
/// isolated worker's decoders and, when <c>Parley:Scanning:Clamd</c> is set, ClamAV, run side by side.
/// </summary>
public interface IMediaScanner
{
    /// <param name="path">The stored file; only the server reads it, the worker gets its bytes through a pipe.</param>
    /// <param name="mediaType">The type the sender declared, which picks the decoders.</param>
    /// <param name="name">The file name the sender gave, for the logs.</param>
    /// <param name="attachment">
    /// Whether the file is an attachment (<see cref="Parley.Core.Scanning.Structure.StructureReport.IsAttachment"/>), when
    /// the content inspection decided it already (null: the worker pool reads the file's head): no decoder takes an
    /// attachment, so it needs no worker.
    /// </param>
    Task<MediaScanReport> ScanAsync(string path, string mediaType, string name, bool? attachment, CancellationToken ct);
}

internal sealed class MediaScanner(ScanWorkerPool workers, ClamdClient? clamd) : IMediaScanner
{
    public const string ClamdDetector = "clamd";

    public async Task<MediaScanReport> ScanAsync(string path, string mediaType, string name, bool? attachment, CancellationToken ct)
    {
        var decoded = workers.ScanAsync(path, mediaType, name, attachment, ct);
        var antivirus = clamd is null ? Task.FromResult<(ScanFinding?, DetectorTiming?)>((null, null)) : AskClamdAsync(clamd, path, ct);
        var worker = await decoded;
        var (clamdFinding, clamdTiming) = await antivirus;
        return new MediaScanReport(
            [.. worker.Findings, .. clamdFinding is null ? [] : new[] { clamdFinding }],
            [.. worker.Timings, .. clamdTiming is null ? [] : new[] { clamdTiming }],
            worker.Container);
    }

    private static async Task<(ScanFinding?, DetectorTiming?)> AskClamdAsync(ClamdClient clamd, string path, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var verdict = await clamd.ScanAsync(path, ct);
        var timing = new DetectorTiming(ClamdDetector, Math.Round(clock.Elapsed.TotalMilliseconds, 3));
        var finding = verdict switch
        {
            { Signature: { } signature } => new ScanFinding(ScanFindingCodes.ClamAvMatch, ClamdDetector, $"ClamAV signature {signature}."),
            { Error: { } error } => new ScanFinding(ScanFindingCodes.ScanUnavailable, ClamdDetector, $"ClamAV could not scan the file, so it fails closed: {error}"),
            _ => null,
        };
        return (finding, timing);
    }
}
