using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Core.Scanning.Identifier;
using Parley.Core.Scanning.Structure;
using Parley.Core.Transfer;

namespace Parley.Client.Scanning;

/// <summary>The first detection's verdict on one file: it passed when there is no finding.</summary>
public sealed record LocalScanResult(
    string FileName, ContentId ContentId, long Size, MediaFormat Format, long LibraryVersion, IReadOnlyList<ScanFinding> Findings)
{
    public bool Passed => Findings.Count == 0;
}

/// <summary>
/// The first detection, on the device, before anything is uploaded or offered for dedup: the
/// <see cref="ContentInspector"/>'s checks against this device's copy of the feature library. A file that passes
/// gets a local security identifier signed with the device key (<see cref="Sign"/>); one that fails must not leave
/// the device, and its findings say why.
/// </summary>
public sealed class LocalScanner(FeatureLibrary library, ScanLimits? limits = null, TimeProvider? time = null)
{
    private readonly ContentInspector _inspector = new(library, limits);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public long LibraryVersion => _inspector.LibraryVersion;

    /// <param name="declaredMediaType">The media type the share will declare; null checks the name's extension only.</param>
    public async Task<LocalScanResult> ScanFileAsync(string path, string? declaredMediaType = null, CancellationToken ct = default)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return await ScanAsync(file, Path.GetFileName(path), declaredMediaType, ct);
    }

    /// <param name="content">Read twice, so it must be seekable; scanned from its start.</param>
    public async Task<LocalScanResult> ScanAsync(Stream content, string fileName, string? declaredMediaType = null, CancellationToken ct = default)
    {
        var inspection = await _inspector.InspectAsync(content, fileName, declaredMediaType, ct);
        return Result(fileName, inspection);
    }

    /// <summary>
    /// Scans <paramref name="content"/> (seekable, from its start) and cuts its chunk manifest for the transfer in the
    /// same read on two cores: a share reads the file twice here, not three times.
    /// </summary>
    public async Task<(LocalScanResult Result, ContentManifest Manifest)> ScanForShareAsync(
        Stream content, string fileName, string? declaredMediaType, IProgress<long>? progress, CancellationToken ct = default)
    {
        var (inspection, manifest) = await _inspector.InspectWithManifestAsync(content, fileName, declaredMediaType, progress, ct);
        return (Result(fileName, inspection), manifest);
    }

    private static LocalScanResult Result(string fileName, ContentInspection inspection) =>
        new(fileName, inspection.ContentId, inspection.Size, inspection.Structure.Format, inspection.LibraryVersion, inspection.Findings);

    /// <summary>The local security identifier of a file that passed: the device key's signature over its content id, the library version and now.</summary>
    /// <exception cref="InvalidOperationException">The file did not pass: it must not be shared.</exception>
    public LocalSecurityIdentifier Sign(LocalScanResult result, DeviceKey key)
    {
        if (!result.Passed) throw new InvalidOperationException($"{result.FileName} did not pass the local scan; it gets no identifier.");
        return LocalSecurityIdentifier.Create(result.ContentId, result.LibraryVersion, _time.GetUtcNow(), key.Sign);
    }
}
