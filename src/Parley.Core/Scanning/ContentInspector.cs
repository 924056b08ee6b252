using Parley.Core.Scanning.Features;
using Parley.Core.Scanning.Structure;
using Parley.Core.Transfer;

namespace Parley.Core.Scanning;

/// <summary>What inspecting one file found: its content id and size, the structural report (format, payloads), and every finding.</summary>
public sealed record ContentInspection(ContentId ContentId, long Size, StructureReport Structure, long LibraryVersion, IReadOnlyList<ScanFinding> Findings)
{
    public bool Passed => Findings.Count == 0;
}

/// <summary>
/// The checks both detections share, with no decoding: the structural checks (type, end markers, dimensions,
/// truncation; <see cref="StructureChecks"/>), then one more read for the feature library, embedded content and the
/// content id. The device runs it as its first detection (<c>LocalScanner</c>); the server runs it again beside its
/// decoders, since a client's word proves nothing about the bytes.
/// </summary>
public sealed class ContentInspector(FeatureLibrary library, ScanLimits? limits = null)
{
    private readonly FeatureMatcher _matcher = new(library);

    public long LibraryVersion => _matcher.Version;

    /// <summary>
    /// Inspects <paramref name="content"/> on two cores: the content id's SHA-256, the feature library and the
    /// embedded-content search each read the same pooled buffers (docs/scanning.md, "Cost of the first detection").
    /// </summary>
    /// <param name="content">Read twice (synchronously: meant for files), so it must be seekable; inspected from its start.</param>
    /// <param name="declaredMediaType">The media type the share declares; null checks the name's extension only.</param>
    public Task<ContentInspection> InspectAsync(Stream content, string fileName, string? declaredMediaType = null, CancellationToken ct = default) =>
        InspectAsync(content, fileName, declaredMediaType, ct, options: null);

    internal async Task<ContentInspection> InspectAsync(Stream content, string fileName, string? declaredMediaType, CancellationToken ct, ParallelReadOptions? options)
    {
        var pass = Begin(content, fileName, declaredMediaType, parallel: true);
        ct.ThrowIfCancellationRequested();
        var whole = new HashLane();
        await ParallelRead.RunAsync(content, [whole, .. pass.Lanes], ct, options);
        return pass.Finish(whole.Finish(), whole.Size);
    }

    /// <summary>
    /// The inspection and the transfer's chunk manifest (<see cref="ContentScanner"/>) in one read on two cores, for a
    /// share whose bytes must travel: one SHA-256 of the whole file serves as both content ids.
    /// </summary>
    /// <param name="progress">Bytes hashed so far.</param>
    public Task<(ContentInspection Inspection, ContentManifest Manifest)> InspectWithManifestAsync(
        Stream content, string fileName, string? declaredMediaType = null, IProgress<long>? progress = null, CancellationToken ct = default) =>
        InspectWithManifestAsync(content, fileName, declaredMediaType, progress, ct, options: null);

    internal async Task<(ContentInspection Inspection, ContentManifest Manifest)> InspectWithManifestAsync(
        Stream content, string fileName, string? declaredMediaType, IProgress<long>? progress, CancellationToken ct, ParallelReadOptions? options)
    {
        var pass = Begin(content, fileName, declaredMediaType, parallel: true);
        ct.ThrowIfCancellationRequested();
        var whole = new HashLane(progress);
        var chunks = new ChunkLane();
        await ParallelRead.RunAsync(content, [whole, chunks, .. pass.Lanes], ct, options);
        var inspection = pass.Finish(whole.Finish(), whole.Size);
        return (inspection, new ContentManifest(inspection.ContentId, inspection.Size, chunks.Chunks));
    }

    /// <summary>
    /// Runs the structural checks (one read of <paramref name="content"/>, which is then rewound) and returns the content
    /// pass, to be fed the file's bytes in order by a reader that needs them anyway (e.g. the chunking of a share), so
    /// that the inspection costs one read of its own.
    /// </summary>
    public ContentPass Begin(Stream content, string fileName, string? declaredMediaType = null) =>
        Begin(content, fileName, declaredMediaType, parallel: false);

    private ContentPass Begin(Stream content, string fileName, string? declaredMediaType, bool parallel)
    {
        if (!content.CanSeek) throw new ArgumentException("Inspection reads the file twice: give a seekable stream.", nameof(content));
        content.Position = 0;
        var structure = StructureChecks.Check(content, declaredMediaType, fileName, limits);
        content.Position = 0;
        return new ContentPass(_matcher, structure, parallel);
    }
}

/// <summary>
/// The second read of an inspection: the feature library, embedded content and the content id, all fed the same bytes
/// (by <see cref="Feed"/>, or in parallel as <see cref="Lanes"/> beside a SHA-256 of the whole file).
/// </summary>
public sealed class ContentPass
{
    private readonly FeatureMatcher _matcher;
    private readonly StructureReport _structure;
    private readonly FeatureMatchSession _features;
    private readonly EmbeddedContentSession? _embedded;
    private long _size;

    private readonly bool _parallel;

    internal ContentPass(FeatureMatcher matcher, StructureReport structure, bool parallel)
    {
        _matcher = matcher;
        _structure = structure;
        _parallel = parallel;
        _features = parallel ? matcher.StartWithoutFileHash(structure.Payloads) : matcher.Start(structure.Payloads);
        // An attachment's own format may hold archives, fonts and scripts (a .docx is a ZIP of many entries).
        _embedded = structure.IsAttachment ? null : EmbeddedContent.Start(structure.Format);
    }

    /// <summary>The file's next bytes, in order from its start.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        if (_parallel) throw new InvalidOperationException("A parallel pass is fed through its lanes.");
        _features.Feed(bytes);
        _embedded?.Feed(bytes);
        _size += bytes.Length;
    }

    /// <summary>Once every byte was fed: the findings of both reads.</summary>
    public ContentInspection Finish() => _parallel
        ? throw new InvalidOperationException("A parallel pass finishes with the file's digest.")
        : Finish(null, _size);

    /// <summary>The two (or one, for an attachment) consumers of a parallel pass; they may run on different threads.</summary>
    internal IReadOnlyList<ReadLane> Lanes => _embedded is null ? [new FeedLane(_features.Feed)] : [new FeedLane(_features.Feed), new FeedLane(_embedded.Feed)];

    /// <param name="fileDigest">The whole file's SHA-256, computed beside a parallel pass; null when <see cref="Feed"/> hashed it.</param>
    internal ContentInspection Finish(byte[]? fileDigest, long size)
    {
        var hits = _features.Finish(fileDigest);
        IReadOnlyList<ScanFinding> findings = [.. _structure.Findings, .. _embedded?.Finish() ?? [], .. _matcher.Findings(hits)];
        return new ContentInspection(ContentId.FromDigest(_features.FileDigest), size, _structure, _matcher.Version, findings);
    }
}
