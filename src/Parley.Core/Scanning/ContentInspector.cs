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
        if (!content.CanSeek) throw new ArgumentException("Inspection reads the file twice: give a seekable stream.", nameof(content));
        content.Position = 0;
        var structure = StructureChecks.Check(content, declaredMediaType, fileName, limits);
        ct.ThrowIfCancellationRequested();
        content.Position = 0;
        var features = _matcher.Start(structure.Payloads);
        var embedded = EmbeddedContent.Start(structure.Format);
        var buffer = new byte[256 * 1024];
        long size = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0)
        {
            features.Feed(buffer.AsSpan(0, read));
            embedded.Feed(buffer.AsSpan(0, read));
            size += read;
        }
        var hits = features.Finish();
        IReadOnlyList<ScanFinding> findings = [.. structure.Findings, .. embedded.Finish(), .. _matcher.Findings(hits)];
        return new ContentInspection(ContentId.FromDigest(features.FileDigest), size, structure, _matcher.Version, findings);
    }
}
