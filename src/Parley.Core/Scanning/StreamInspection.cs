using System.Buffers;
using System.Security.Cryptography;
using Parley.Core.Scanning.Features;
using Parley.Core.Scanning.Structure;
using Parley.Core.Transfer;

namespace Parley.Core.Scanning;

/// <summary>
/// The <see cref="ContentInspector"/>'s content pass fed as the bytes arrive (an upload's PATCH stream, in any pieces),
/// so that the end of an upload costs the structural checks (which read only as far as the format's walk needs) instead
/// of a second read of every byte. The result is the whole-file inspection's: the same feature library matched over the
/// same bytes in order (a pattern across two pieces is found as in one read), the embedded-content search chosen by the
/// same first bytes, and the payload features hashed over the payloads the structural checks find at the end, read again
/// (bytes after an end marker, which the walk reads anyway to measure them).
/// </summary>
public sealed class StreamInspection
{
    private readonly FeatureMatcher _matcher;
    private readonly string _fileName;
    private readonly string? _declaredMediaType;
    private readonly ScanLimits? _limits;
    // The first bytes decide the format, hence whether embedded content is searched: kept until there are enough.
    private byte[]? _head = new byte[FormatSniffer.HeadLength];
    private FeatureMatchSession? _features;
    private EmbeddedContentSession? _embedded;

    public StreamInspection(FeatureLibrary library, string fileName, string? declaredMediaType = null, ScanLimits? limits = null)
    {
        _matcher = new FeatureMatcher(library);
        _fileName = fileName;
        _declaredMediaType = declaredMediaType;
        _limits = limits;
    }

    /// <summary>The version of the library the bytes were matched against: the inspection is current only at this version.</summary>
    public long LibraryVersion => _matcher.Version;

    /// <summary>Bytes fed so far.</summary>
    public long Fed { get; private set; }

    /// <summary>The content's next bytes, in order from its start.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        if (_head is { } head)
        {
            var n = (int)Math.Min(bytes.Length, head.Length - Fed);
            bytes[..n].CopyTo(head.AsSpan((int)Fed));
            Fed += n;
            bytes = bytes[n..];
            if (Fed < head.Length) return;
            Start();
        }
        _features!.Feed(bytes);
        _embedded?.Feed(bytes);
        Fed += bytes.Length;
    }

    /// <summary>
    /// Once every byte was fed: the structural checks over <paramref name="content"/> (the same bytes, seekable), the
    /// payload hashes, and every finding, as <see cref="ContentInspector.InspectAsync(Stream, string, string?, CancellationToken)"/> gives them.
    /// </summary>
    /// <param name="fileDigest">The SHA-256 of every byte fed, computed beside this pass (the content id).</param>
    public ContentInspection Finish(Stream content, byte[] fileDigest)
    {
        if (content.Length != Fed) throw new ArgumentException($"The content is {content.Length} bytes; {Fed} were fed.", nameof(content));
        if (_head is not null) Start();
        content.Position = 0;
        var structure = StructureChecks.Check(content, _declaredMediaType, _fileName, _limits);
        if (structure.IsAttachment != (_embedded is null)) throw new InvalidOperationException("The content's first bytes changed after they were fed.");
        var hits = _features!.Finish(fileDigest, structure.Payloads, i => HashRange(content, structure.Payloads[i]));
        IReadOnlyList<ScanFinding> findings = [.. structure.Findings, .. _embedded?.Finish() ?? [], .. _matcher.Findings(hits)];
        return new ContentInspection(ContentId.FromDigest(fileDigest), Fed, structure, _matcher.Version, findings);
    }

    /// <summary>Starts both sessions from the first bytes (all of them, for content shorter than the sniffer's head).</summary>
    private void Start()
    {
        var head = _head!.AsSpan(0, (int)Fed);
        var format = FormatSniffer.Identify(head);
        _features = _matcher.StartWithoutFileHash([]);
        // As in ContentPass: an attachment's own format may hold archives, fonts and scripts.
        _embedded = MediaFormats.IsAttachment(format, _declaredMediaType, _fileName) ? null : EmbeddedContent.Start(format);
        _features.Feed(head);
        _embedded?.Feed(head);
        _head = null;
    }

    private static byte[] HashRange(Stream content, ByteRange range)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            content.Position = range.Start;
            for (var left = range.Length; left > 0;)
            {
                var read = content.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0) throw new EndOfStreamException($"The content ends inside the payload at {range.Start}.");
                hash.AppendData(buffer, 0, read);
                left -= read;
            }
            return hash.GetHashAndReset();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
