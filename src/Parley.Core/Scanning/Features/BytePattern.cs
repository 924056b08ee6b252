using System.Globalization;
using System.Text;

namespace Parley.Core.Scanning.Features;

/// <summary>
/// A byte pattern in ClamAV's body-signature hex: byte pairs (<c>4d5a</c>), <c>??</c> for any byte,
/// <c>{n}</c> / <c>{n-m}</c> / <c>{-m}</c> for a bounded gap, and <c>*</c> or <c>{n-}</c> for a gap of any
/// length. The unbounded gaps cut the pattern into <see cref="Parts"/> of bounded length, each matched
/// on its own and chained in order; a part's first fixed run must hold a literal byte, which is what
/// the multi-pattern search looks for.
/// </summary>
public sealed class BytePattern : IEquatable<BytePattern>
{
    /// <summary>A part longer than this could not be checked within a bounded window.</summary>
    public const int MaxPartLength = 64 * 1024;

    private BytePattern(string text, IReadOnlyList<PatternPart> parts)
    {
        Text = text;
        Parts = parts;
    }

    /// <summary>The canonical hex form (lower case), as written back.</summary>
    public string Text { get; }

    public IReadOnlyList<PatternPart> Parts { get; }

    /// <summary>True when no unbounded gap appears: the pattern has a longest possible match.</summary>
    public bool IsBounded => Parts.Count == 1;

    /// <summary>Fixed length, or null when gaps make the length vary.</summary>
    public int? FixedLength => IsBounded && Parts[0].MinLength == Parts[0].MaxLength ? Parts[0].MaxLength : null;

    public static BytePattern Parse(string text) =>
        TryParse(text, out var pattern, out var error) ? pattern : throw new FormatException(error);

    public static bool TryParse(string text, out BytePattern pattern, out string error)
    {
        pattern = null!;
        var parts = new List<PatternPart>();
        var tokens = new List<PatternToken>();
        var canonical = new StringBuilder();
        var pendingStarMin = 0;
        for (var i = 0; i < text.Length;)
        {
            if (text[i] is '*' or '{')
            {
                if (!TryReadGap(text, ref i, out var gap, out error)) return false;
                if (gap.Max != int.MaxValue)
                {
                    canonical.Append(gap.Min == gap.Max ? $"{{{gap.Min}}}" : $"{{{gap.Min}-{gap.Max}}}");
                    tokens.Add(gap);
                    continue;
                }
                canonical.Append(gap.Min == 0 ? "*" : $"{{{gap.Min}-}}");
                if (!CloseTokens(tokens, parts, pendingStarMin, out error)) return false;
                pendingStarMin = gap.Min;
                continue;
            }
            if (i + 1 >= text.Length) { error = $"'{text}' ends with half a byte."; return false; }
            var pair = text.AsSpan(i, 2);
            if (pair is "??") tokens.Add(PatternToken.AnyByte);
            else if (byte.TryParse(pair, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)) tokens.Add(PatternToken.Literal(value));
            else { error = $"'{pair}' at character {i + 1} is neither a hex byte nor '??'."; return false; }
            canonical.Append(pair.ToString().ToLowerInvariant());
            i += 2;
        }
        if (!CloseTokens(tokens, parts, pendingStarMin, out error)) return false;
        pattern = new BytePattern(canonical.ToString(), parts);
        return true;
    }

    /// <summary>Reads <c>*</c>, <c>{n}</c>, <c>{n-m}</c>, <c>{-m}</c> or <c>{n-}</c>; an unbounded gap has Max = int.MaxValue.</summary>
    private static bool TryReadGap(string text, ref int i, out PatternToken gap, out string error)
    {
        error = "";
        gap = PatternToken.Gap(0, int.MaxValue);
        if (text[i] == '*')
        {
            i++;
            return true;
        }
        var close = text.IndexOf('}', i);
        if (close < 0) { error = "A '{' has no closing '}'."; return false; }
        var inner = text[(i + 1)..close];
        var dash = inner.IndexOf('-');
        var minText = dash < 0 ? inner : inner[..dash];
        var maxText = dash < 0 ? inner : inner[(dash + 1)..];
        int min = 0, max = int.MaxValue;
        if ((minText.Length > 0 || dash < 0) && !int.TryParse(minText, NumberStyles.None, CultureInfo.InvariantCulture, out min) ||
            (maxText.Length > 0 || dash < 0) && !int.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out max) ||
            minText.Length == 0 && maxText.Length == 0 || max < min || max != int.MaxValue && max > MaxPartLength)
        {
            error = $"'{{{inner}}}' is not a gap (n, n-m, -m or n-; at most {MaxPartLength}).";
            return false;
        }
        gap = PatternToken.Gap(min, max);
        i = close + 1;
        return true;
    }

    /// <summary>Ends one bounded part: it must start and end with a byte and hold a literal in its first fixed run.</summary>
    private static bool CloseTokens(List<PatternToken> tokens, List<PatternPart> parts, int starMinBefore, out string error)
    {
        error = "";
        if (tokens.Count == 0) { error = "A gap must sit between bytes: the pattern is empty or starts or ends with one."; return false; }
        if (tokens[0].Kind == TokenKind.Gap || tokens[^1].Kind == TokenKind.Gap) { error = "A gap must sit between bytes, not at an end of the pattern."; return false; }
        var part = new PatternPart([.. tokens], starMinBefore);
        if (part.MaxLength > MaxPartLength) { error = $"A part of a pattern between '*' may span at most {MaxPartLength} bytes."; return false; }
        if (part.AnchorRun.Length == 0) { error = "Each part of a pattern needs a literal byte before its first variable gap."; return false; }
        parts.Add(part);
        tokens.Clear();
        return true;
    }

    public override string ToString() => Text;
    public bool Equals(BytePattern? other) => other is not null && Text == other.Text;
    public override bool Equals(object? obj) => Equals(obj as BytePattern);
    public override int GetHashCode() => Text.GetHashCode(StringComparison.Ordinal);
}

public enum TokenKind { Literal, AnyByte, Gap }

/// <summary>One element of a pattern: a byte, any byte, or a gap of <see cref="Min"/> to <see cref="Max"/> bytes.</summary>
public readonly record struct PatternToken(TokenKind Kind, byte Value, int Min, int Max)
{
    public static PatternToken Literal(byte value) => new(TokenKind.Literal, value, 1, 1);
    public static readonly PatternToken AnyByte = new(TokenKind.AnyByte, 0, 1, 1);
    public static PatternToken Gap(int min, int max) => new(TokenKind.Gap, 0, min, max);
}
