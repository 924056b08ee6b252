using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Core.Scanning.Features;

/// <summary>
/// The pieces of a feature line shared by Parley's own format and the ClamAV importer: names, reasons,
/// SHA-256 hex, sizes, anchors. Each check returns an error sentence, or null when the piece is good.
/// </summary>
internal static partial class FeatureLines
{
    public const int MaxReasonLength = 500;

    public static string? CheckName(string name) =>
        FeatureName().IsMatch(name) ? null : $"'{name}' is not a feature name (1 to 128 of A-Z a-z 0-9 . _ -).";

    public static string? CheckReason(string reason) =>
        reason.Length == 0 ? "The reason is missing."
        : reason.Length > MaxReasonLength ? $"The reason is longer than {MaxReasonLength} characters."
        : reason.Any(char.IsControl) ? "The reason holds a control character."
        : null;

    /// <summary><c>hex:size</c> or <c>hex:*</c>: 64 hex digits of SHA-256, and the size in bytes if it is fixed.</summary>
    public static string? TryHash(string text, out string hex, out long? size)
    {
        hex = "";
        size = null;
        var colon = text.IndexOf(':');
        if (colon < 0) return $"'{text}' is not 'sha256hex:size' (size may be '*').";
        hex = text[..colon].ToLowerInvariant();
        var sizeText = text[(colon + 1)..];
        if (!Sha256Hex().IsMatch(hex)) return $"'{text[..colon]}' is not a SHA-256 (64 hex digits).";
        if (sizeText == "*") return null;
        if (!long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return $"'{sizeText}' is not a size in bytes or '*'.";
        size = value;
        return null;
    }

    public static string FormatHash(HashSignature hash) =>
        $"{hash.Sha256Hex}:{(hash.Size is { } size ? size.ToString(CultureInfo.InvariantCulture) : "*")}";

    /// <summary>A version: a positive integer.</summary>
    public static string? TryVersion(string text, out long version) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out version) && version > 0 ? null : $"'{text}' is not a version (a positive integer).";

    /// <summary>The anchor and the pattern must agree: an anchored pattern has a bounded length and fits in the window kept at its end.</summary>
    public static string? CheckAnchor(BytePattern pattern, PatternAnchor anchor)
    {
        if (anchor.Kind == AnchorKind.Anywhere) return null;
        if (!pattern.IsBounded) return "An anchored pattern cannot hold '*' (its length must be bounded).";
        if (anchor.Offset < 0 || (long)anchor.Offset + pattern.Parts[0].MaxLength > PatternAnchor.MaxOffset)
            return $"An anchored pattern must lie within the first or last {PatternAnchor.MaxOffset} bytes.";
        return null;
    }

    /// <summary>Splits off the next space-separated token; false when the line has no more.</summary>
    public static bool NextToken(ref string rest, out string token)
    {
        rest = rest.TrimStart(' ');
        var space = rest.IndexOf(' ');
        token = space < 0 ? rest : rest[..space];
        rest = space < 0 ? "" : rest[(space + 1)..];
        return token.Length > 0;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex FeatureName();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Hex();
}
