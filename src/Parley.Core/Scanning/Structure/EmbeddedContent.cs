using System.Globalization;
using System.Text;
using Parley.Core.Scanning.Features;

namespace Parley.Core.Scanning.Structure;

/// <summary>
/// Finds archives, executables, PDF, HTML and scripts inside a file, anywhere after its first byte (what
/// the first byte starts is the file's own format, which the type check judges). Binary formats are
/// found by their magic number plus the header fields that follow (so that four random bytes of
/// compressed picture data do not look like a ZIP), with the same streaming matcher as the feature
/// library; HTML and script markers by a case-insensitive search. Text formats (SVG, HTML) are not
/// searched for markup: the SVG check judges their elements.
/// </summary>
public static class EmbeddedContent
{
    public const string Detector = "embedded";

    private static readonly (string Code, string What, string Template)[] Binary =
    [
        (ScanFindingCodes.EmbeddedArchive, "a ZIP archive", "504b0304[0a,14,2d,3f]00????[00,08]00"),
        (ScanFindingCodes.EmbeddedArchive, "a RAR archive", "526172211a07"),
        (ScanFindingCodes.EmbeddedArchive, "a 7z archive", "377abcaf271c"),
        (ScanFindingCodes.EmbeddedArchive, "a gzip stream", "1f8b08[00,08]????????[00,02,04][00,03,0b,ff]"),
        (ScanFindingCodes.EmbeddedExecutable, "an ELF executable", "7f454c46[01,02][01,02]01"),
        (ScanFindingCodes.EmbeddedExecutable, "a Windows (PE) executable", "50450000[4c01,6486,64aa,c001]"),
        (ScanFindingCodes.EmbeddedExecutable, "a Mach-O executable", "[cefaedfe07000000,cefaedfe0c000000,cffaedfe07000001,cffaedfe0c000001]"),
        (ScanFindingCodes.EmbeddedPdf, "a PDF document", "255044462d[31,32]2e"),
    ];

    private static readonly (string Code, string What, string Marker)[] Text =
    [
        (ScanFindingCodes.EmbeddedHtml, "HTML", "<html"),
        (ScanFindingCodes.EmbeddedHtml, "HTML", "<!doctype html"),
        (ScanFindingCodes.EmbeddedHtml, "HTML", "<iframe"),
        (ScanFindingCodes.EmbeddedHtml, "HTML", "<body"),
        (ScanFindingCodes.EmbeddedScript, "a script element", "<script"),
        (ScanFindingCodes.EmbeddedScript, "PHP code", "<?php"),
        (ScanFindingCodes.EmbeddedScript, "a shell script", "#!/bin/"),
        (ScanFindingCodes.EmbeddedScript, "a shell script", "#!/usr/"),
        (ScanFindingCodes.EmbeddedExecutable, "a Windows (PE) executable", "this program cannot be run in dos mode"),
    ];

    private static readonly FeatureMatcher BinaryMatcher = new(FeatureLibrary.Empty.With(
        Binary.SelectMany((entry, i) => Expand(entry.Template).Select((hex, k) =>
            new Feature($"{i}.{k}", entry.What, new PatternSignature(BytePattern.Parse(hex), PatternAnchor.Anywhere))))));

    private static readonly AhoCorasick TextMarkers = new([.. Text.Select(t => Encoding.ASCII.GetBytes(t.Marker))], ignoreAsciiCase: true);

    /// <summary>Starts a search through one file of <paramref name="format"/>; feed it the bytes in order.</summary>
    public static EmbeddedContentSession Start(MediaFormat format) =>
        new(BinaryMatcher.StartWithoutFileHash([]), format is MediaFormat.Svg or MediaFormat.Html or MediaFormat.Script ? null : TextMarkers);

    /// <summary>The built-in features are named <c>ENTRY.VARIANT</c>, ENTRY indexing <see cref="Binary"/>.</summary>
    internal static (string Code, string What) DescribeBinary(Feature feature)
    {
        var entry = Binary[int.Parse(feature.Name.AsSpan(0, feature.Name.IndexOf('.')), CultureInfo.InvariantCulture)];
        return (entry.Code, entry.What);
    }

    internal static (string Code, string What, int Length) DescribeText(int key) => (Text[key].Code, Text[key].What, Text[key].Marker.Length);

    /// <summary>Expands <c>[a,b]</c> alternatives into every combination: <c>01[02,03]</c> → <c>0102</c>, <c>0103</c>.</summary>
    private static IEnumerable<string> Expand(string template)
    {
        var open = template.IndexOf('[');
        if (open < 0) return [template];
        var close = template.IndexOf(']', open);
        return template[(open + 1)..close].Split(',')
            .SelectMany(choice => Expand(template[..open] + choice + template[(close + 1)..]));
    }
}

/// <summary>One file's search for embedded content; see <see cref="EmbeddedContent"/>.</summary>
public sealed class EmbeddedContentSession
{
    private readonly FeatureMatchSession _binary;
    private readonly AhoCorasick? _text;
    private readonly List<(int Key, long End)> _textHits = [];
    private readonly SortedDictionary<string, (string What, long Offset)> _first = new(StringComparer.Ordinal);
    private int _textState;
    private long _position;

    internal EmbeddedContentSession(FeatureMatchSession binary, AhoCorasick? text)
    {
        _binary = binary;
        _text = text;
    }

    public void Feed(ReadOnlySpan<byte> data)
    {
        _binary.Feed(data);
        if (_text is not null)
        {
            _textHits.Clear();
            _text.Feed(ref _textState, data, _position, _textHits);
            foreach (var (key, end) in _textHits)
            {
                var (code, what, length) = EmbeddedContent.DescribeText(key);
                Note(code, what, end - length);
            }
        }
        _position += data.Length;
    }

    /// <summary>One finding per kind of content, naming the first place it starts.</summary>
    public IReadOnlyList<ScanFinding> Finish()
    {
        // The built-in matcher has no hash features: it needs no digest of the file.
        foreach (var hit in _binary.Finish(null))
        {
            var (code, what) = EmbeddedContent.DescribeBinary(hit.Feature);
            Note(code, what, hit.Range.Start);
        }
        return [.. _first.Select(kind => new ScanFinding(kind.Key, EmbeddedContent.Detector,
            $"The file holds {kind.Value.What} at byte {kind.Value.Offset}."))];
    }

    private void Note(string code, string what, long offset)
    {
        if (offset <= 0) return;
        if (!_first.TryGetValue(code, out var seen) || offset < seen.Offset) _first[code] = (what, offset);
    }
}
