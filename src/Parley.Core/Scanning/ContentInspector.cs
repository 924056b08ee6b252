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

    /// <param name="content">Read twice, so it must be seekable; inspected from its start.</param>
    /// <param name="declaredMediaType">The media type the share declares; null checks the name's extension only.</param>
    public async Task<ContentInspection> InspectAsync(Stream content, string fileName, string? declaredMediaType = null, CancellationToken ct = default)
    {
        var pass = Begin(content, fileName, declaredMediaType);
        ct.ThrowIfCancellationRequested();
        var buffer = new byte[256 * 1024];
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0) pass.Feed(buffer.AsSpan(0, read));
        return pass.Finish();
    }

    /// <summary>
    /// Runs the structural checks (one read of <paramref name="content"/>, which is then rewound) and returns the content
    /// pass, to be fed the file's bytes in order by a reader that needs them anyway (e.g. the chunking of a share), so
    /// that the inspection costs one read of its own.
    /// </summary>
    public ContentPass Begin(Stream content, string fileName, string? declaredMediaType = null)
    {
        if (!content.CanSeek) throw new ArgumentException("Inspection reads the file twice: give a seekable stream.", nameof(content));
        content.Position = 0;
        var structure = StructureChecks.Check(content, declaredMediaType, fileName, limits);
        content.Position = 0;
        return new ContentPass(_matcher, structure);
    }
}

/// <summary>The second read of an inspection: the feature library, embedded content and the content id, all fed the same bytes.</summary>
public sealed class ContentPass
{
    private readonly FeatureMatcher _matcher;
    private readonly StructureReport _structure;
    private readonly FeatureMatchSession _features;
    private readonly EmbeddedContentSession? _embedded;
    private long _size;

    internal ContentPass(FeatureMatcher matcher, StructureReport structure)
    {
        _matcher = matcher;
        _structure = structure;
        _features = matcher.Start(structure.Payloads);
        // An attachment's own format may hold archives, fonts and scripts (a .docx is a ZIP of many entries).
        _embedded = structure.IsAttachment ? null : EmbeddedContent.Start(structure.Format);
    }

    /// <summary>The file's next bytes, in order from its start.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        _features.Feed(bytes);
        _embedded?.Feed(bytes);
        _size += bytes.Length;
    }

    /// <summary>Once every byte was fed: the findings of both reads.</summary>
    public ContentInspection Finish()
    {
        var hits = _features.Finish();
        IReadOnlyList<ScanFinding> findings = [.. _structure.Findings, .. _embedded?.Finish() ?? [], .. _matcher.Findings(hits)];
        return new ContentInspection(ContentId.FromDigest(_features.FileDigest), _size, _structure, _matcher.Version, findings);
    }
}
