using System.Globalization;

namespace Parley.Core.Scanning.Features;

/// <summary>Reads the <c>feature …</c> and <c>removed …</c> lines of <see cref="FeatureText"/>.</summary>
internal static class FeatureLine
{
    /// <param name="rest">The line after <c>feature</c>.</param>
    public static LibraryFeature Parse(string rest, long version, int number)
    {
        var addedIn = Version(ref rest, version, number);
        var name = Token(ref rest, number, "a name");
        Check(FeatureLines.CheckName(name), number);
        var kind = Token(ref rest, number, "a kind (file-sha256, payload-sha256 or bytes)");
        FeatureSignature signature = kind switch
        {
            "file-sha256" => Hash(HashTarget.File, Token(ref rest, number, "HEX:SIZE"), number),
            "payload-sha256" => Hash(HashTarget.Payload, Token(ref rest, number, "HEX:SIZE"), number),
            "bytes" => Pattern(Token(ref rest, number, "an anchor"), Token(ref rest, number, "a hex pattern"), number),
            _ => throw new FeatureFormatException(number, $"'{kind}' is not a kind: file-sha256, payload-sha256 or bytes."),
        };
        var reason = rest.Trim();
        Check(FeatureLines.CheckReason(reason), number);
        return new LibraryFeature(addedIn, new Feature(name, reason, signature));
    }

    /// <param name="rest">The line after <c>removed</c>.</param>
    public static LibraryRemoval ParseRemoval(string rest, long version, int number)
    {
        var removedIn = Version(ref rest, version, number);
        var name = Token(ref rest, number, "a name");
        Check(FeatureLines.CheckName(name), number);
        if (rest.Trim().Length > 0) throw new FeatureFormatException(number, "A 'removed' line is 'removed VERSION NAME' and nothing more.");
        return new LibraryRemoval(removedIn, name);
    }

    private static long Version(ref string rest, long version, int number)
    {
        Check(FeatureLines.TryVersion(Token(ref rest, number, "a version"), out var value), number);
        if (value > version) throw new FeatureFormatException(number, $"Version {value} is newer than the file's version {version}.");
        return value;
    }

    private static HashSignature Hash(HashTarget target, string text, int number)
    {
        Check(FeatureLines.TryHash(text, out var hex, out var size), number);
        return new HashSignature(target, hex, size);
    }

    private static PatternSignature Pattern(string anchorText, string patternText, int number)
    {
        if (!BytePattern.TryParse(patternText, out var pattern, out var error)) throw new FeatureFormatException(number, error);
        var anchor = anchorText switch
        {
            "any" => PatternAnchor.Anywhere,
            "end" when pattern.FixedLength is { } length => PatternAnchor.FromEnd(length),
            "end" => throw new FeatureFormatException(number, "'end' needs a pattern of fixed length; use eof-N."),
            _ when anchorText.StartsWith("start+", StringComparison.Ordinal) => PatternAnchor.FromStart(Offset(anchorText[6..], number)),
            _ when anchorText.StartsWith("eof-", StringComparison.Ordinal) => PatternAnchor.FromEnd(Offset(anchorText[4..], number)),
            _ => throw new FeatureFormatException(number, $"'{anchorText}' is not an anchor: any, start+N, eof-N or end."),
        };
        Check(FeatureLines.CheckAnchor(pattern, anchor), number);
        return new PatternSignature(pattern, anchor);
    }

    private static int Offset(string text, int number) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var offset) ? offset
            : throw new FeatureFormatException(number, $"'{text}' is not an offset in bytes.");

    private static string Token(ref string rest, int number, string what) =>
        FeatureLines.NextToken(ref rest, out var token) ? token : throw new FeatureFormatException(number, $"The line ends where {what} should be.");

    private static void Check(string? error, int number)
    {
        if (error is not null) throw new FeatureFormatException(number, error);
    }
}
