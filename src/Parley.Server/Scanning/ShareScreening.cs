using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Scanning;
using Parley.Server.Storage;

namespace Parley.Server.Scanning;

/// <summary>What is being shared, as the second detection and its verdict row need it.</summary>
public sealed record ShareSubject(string ContentId, string UserId, string? DeviceId, string FileName, string MediaType);

/// <summary>
/// The bytes to screen: <paramref name="Open"/> gives a seekable stream of the whole content; <paramref name="File"/>
/// is a file holding exactly those bytes when there is one (a whole upload), else the scanner's copy is written to
/// <paramref name="ScratchPath"/> and deleted afterwards.
/// </summary>
/// <paramref name="Streamed"/> is the content inspection fed while the bytes arrived, when they were uploaded whole.
public sealed record ShareBytes(Func<Stream> Open, string? File, string ScratchPath, StreamedInspection? Streamed = null);

/// <summary>A content inspection fed on an upload's stream (<see cref="StreamInspection"/>) and the SHA-256 of every byte it was fed.</summary>
public sealed record StreamedInspection(StreamInspection Inspection, byte[] FileDigest);

/// <summary>
/// The stored verdict of one share: its id (<c>v_…</c>), whether it passed, and every finding; the container facts the
/// worker's FFmpeg read, when it decoded a video or audio file this time (not for a reused verdict).
/// </summary>
public sealed record ShareVerdict(string Id, bool Passed, IReadOnlyList<ScanFinding> Findings, bool Reused, ContainerFacts? Container = null);

/// <summary>
/// The second detection of the share path (docs/scanning.md, "The share path"), run on verified bytes before anything
/// of the share is stored or delivered: the structural checks, embedded content and feature library over the raw
/// bytes (<see cref="ContentInspector"/> with the server's current library), and the isolated worker's decoders plus
/// clamd (<see cref="IMediaScanner"/>). Every verdict is stored; a block feeds the payloads back into the library.
/// </summary>
public sealed class ShareScreening(
    ParleyDbContext db,
    FeatureLibraryService library,
    IMediaScanner scanner,
    ShareFeedback feedback,
    ScanningMetrics metrics,
    TimeProvider clock,
    ILogger<ShareScreening> log)
{
    public const string InspectorDetector = "inspector";

    public async Task<ShareVerdict> ScreenAsync(ShareSubject subject, ShareBytes bytes, CancellationToken ct)
    {
        var current = await library.CurrentAsync(db, ct);
        if (await Reusable(subject, current.Version, ct) is { } findings)
        {
            // The same bytes, declared alike, judged against the same library: scanning again would say the same.
            var reused = await Store(subject, current.Version, findings, [], ct);
            metrics.Verdict(reused.Passed, reused: true);
            return reused with { Reused = true };
        }

        await using var content = bytes.Open();
        var timer = Stopwatch.StartNew();
        // Fed on the upload's stream against the same library: only the structural checks and payloads are left to read.
        var inspection = bytes.Streamed is { } streamed && streamed.Inspection.LibraryVersion == current.Version
            ? streamed.Inspection.Finish(content, streamed.FileDigest)
            : await new ContentInspector(current).InspectAsync(content, subject.FileName, subject.MediaType, ct);
        var inspected = new DetectorTiming(InspectorDetector, Math.Round(timer.Elapsed.TotalMilliseconds, 3));
        var report = await ScanFile(subject, bytes, content, inspection.Structure.IsAttachment, ct);

        var verdict = await Store(subject, current.Version, [.. inspection.Findings, .. report.Findings], [inspected, .. report.Timings], ct);
        metrics.Verdict(verdict.Passed, reused: false);
        verdict = verdict with { Container = report.Container };
        if (!verdict.Passed)
        {
            log.LogWarning("Share of {ContentId} by {UserId} blocked ({VerdictId}): {Codes}.", subject.ContentId, subject.UserId, verdict.Id,
                string.Join(", ", verdict.Findings.Select(f => f.Code).Distinct()));
            await feedback.LearnAsync(db, verdict, content, inspection.Structure.Payloads, ct);
        }
        return verdict;
    }

    /// <summary>
    /// An inspection to feed on an upload's stream, against the current library; the verdict uses it only if the library
    /// is still at that version when the last byte arrived (else the whole file is inspected again).
    /// </summary>
    public async Task<StreamInspection> StartStreamInspectionAsync(string fileName, string mediaType, CancellationToken ct) =>
        new(await library.CurrentAsync(db, ct), fileName, mediaType);

    /// <summary>The findings of a stored verdict for the same content, media type and extension at this library version, if any.</summary>
    private async Task<IReadOnlyList<ScanFinding>?> Reusable(ShareSubject subject, long version, CancellationToken ct)
    {
        var candidates = await db.ScanVerdicts.AsNoTracking()
            .Where(v => v.ContentId == subject.ContentId && v.LibraryVersion == version && v.MediaType == subject.MediaType)
            .OrderByDescending(v => v.CreatedAt).Select(v => new { v.FileName, v.Findings }).Take(20).ToListAsync(ct);
        var extension = Path.GetExtension(subject.FileName);
        var match = candidates.FirstOrDefault(v => string.Equals(Path.GetExtension(v.FileName ?? ""), extension, StringComparison.OrdinalIgnoreCase));
        return match is null ? null : StoredJson.Read<ScanFinding>(match.Findings);
    }

    /// <summary>The worker (decoders by declared type and by sniffed format) and clamd, over a file of exactly the shared bytes.</summary>
    private async Task<MediaScanReport> ScanFile(ShareSubject subject, ShareBytes bytes, Stream content, bool attachment, CancellationToken ct)
    {
        if (bytes.File is { } file) return await scanner.ScanAsync(file, subject.MediaType, subject.FileName, attachment, ct);
        try
        {
            content.Position = 0;
            await using (var scratch = File.Create(bytes.ScratchPath))
                await content.CopyToAsync(scratch, ct);
            return await scanner.ScanAsync(bytes.ScratchPath, subject.MediaType, subject.FileName, attachment, ct);
        }
        finally
        {
            File.Delete(bytes.ScratchPath);
        }
    }

    private async Task<ShareVerdict> Store(ShareSubject subject, long version, IReadOnlyList<ScanFinding> findings, IReadOnlyList<DetectorTiming> timings, CancellationToken ct)
    {
        var row = new ScanVerdict
        {
            Id = Ids.New("v"), ContentId = subject.ContentId, UserId = subject.UserId, DeviceId = subject.DeviceId,
            FileName = subject.FileName, MediaType = subject.MediaType, LibraryVersion = version, Passed = findings.Count == 0,
            Findings = StoredJson.Write(findings), Timings = StoredJson.Write(timings),
            CreatedAt = clock.Now(),
        };
        db.ScanVerdicts.Add(row);
        await db.SaveChangesAsync(ct);
        return new ShareVerdict(row.Id, row.Passed, findings, Reused: false);
    }
}
