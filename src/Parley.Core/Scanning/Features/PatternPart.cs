namespace Parley.Core.Scanning.Features;

/// <summary>
/// A bounded piece of a <see cref="BytePattern"/>: bytes, any-bytes and bounded gaps, of
/// <see cref="MinLength"/> to <see cref="MaxLength"/> bytes. <see cref="AnchorRun"/> is its longest run
/// of literal bytes before the first variable gap, at <see cref="AnchorOffset"/> from the part's start,
/// so that finding the run fixes where the part would start.
/// </summary>
public sealed class PatternPart
{
    private readonly PatternToken[] _tokens;
    private readonly int _variableGaps;

    public PatternPart(PatternToken[] tokens, int minGapBefore)
    {
        _tokens = tokens;
        MinGapBefore = minGapBefore;
        MinLength = tokens.Sum(t => t.Min);
        MaxLength = tokens.Sum(t => (long)t.Max) is var max && max > int.MaxValue ? int.MaxValue : (int)max;
        (AnchorRun, AnchorOffset) = LongestLeadingRun(tokens);
        _variableGaps = tokens.Count(t => t.Kind == TokenKind.Gap && t.Min != t.Max);
    }

    /// <summary>For the second and later parts: the least number of bytes between the previous part's end and this one.</summary>
    public int MinGapBefore { get; }
    public int MinLength { get; }
    public int MaxLength { get; }
    public byte[] AnchorRun { get; }
    public int AnchorOffset { get; }

    /// <summary>
    /// The length of the shortest match of this part starting at <paramref name="data"/>[0], or -1. Bytes
    /// beyond <paramref name="data"/> are treated as absent (the file ended).
    /// </summary>
    public int Match(ReadOnlySpan<byte> data) =>
        MatchFrom(data, 0, 0, _variableGaps > 1 ? new HashSet<long>() : null);

    /// <summary>
    /// Tries the tokens from <paramref name="token"/> at <paramref name="at"/>. With several variable gaps the
    /// same (token, position) is reached by many paths: remembering the ones that failed keeps a hostile file
    /// from making the search exponential.
    /// </summary>
    private int MatchFrom(ReadOnlySpan<byte> data, int token, int at, HashSet<long>? failed)
    {
        for (; token < _tokens.Length; token++)
        {
            var t = _tokens[token];
            if (t.Kind == TokenKind.Gap)
            {
                if (t.Min == t.Max)
                {
                    at += t.Min;
                    continue;
                }
                // A variable gap: try each length, shortest first, so the match found is the shortest.
                for (var skip = t.Min; skip <= t.Max && at + skip <= data.Length; skip++)
                {
                    var state = (long)(token + 1) << 32 | (uint)(at + skip);
                    if (failed?.Contains(state) == true) continue;
                    if (MatchFrom(data, token + 1, at + skip, failed) is var length and >= 0) return length;
                    failed?.Add(state);
                }
                return -1;
            }
            if (at >= data.Length || t.Kind == TokenKind.Literal && data[at] != t.Value) return -1;
            at++;
        }
        return at;
    }

    private static (byte[] Run, int Offset) LongestLeadingRun(PatternToken[] tokens)
    {
        int bestStart = 0, bestLength = 0, runStart = 0, runLength = 0, offset = 0;
        var bestTokenStart = 0;
        var runTokenStart = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var t = tokens[i];
            if (t.Kind == TokenKind.Gap && t.Min != t.Max) break;
            if (t.Kind == TokenKind.Literal)
            {
                if (runLength == 0) { runStart = offset; runTokenStart = i; }
                runLength++;
                if (runLength > bestLength) (bestStart, bestLength, bestTokenStart) = (runStart, runLength, runTokenStart);
            }
            else runLength = 0;
            offset += t.Min;
        }
        var run = new byte[bestLength];
        for (var k = 0; k < bestLength; k++) run[k] = tokens[bestTokenStart + k].Value;
        return (run, bestStart);
    }
}
