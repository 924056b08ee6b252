namespace Parley.Core.Scanning.Features;

/// <summary>
/// One entry of the anomaly feature library: a unique <see cref="Name"/>, the <see cref="Reason"/> shown
/// to people when it matches, and what it matches.
/// </summary>
public sealed record Feature(string Name, string Reason, FeatureSignature Signature);

/// <summary>What a feature matches: a SHA-256 (<see cref="HashSignature"/>) or bytes (<see cref="PatternSignature"/>).</summary>
public abstract record FeatureSignature;

/// <summary>Which bytes a hash signature is over.</summary>
public enum HashTarget
{
    /// <summary>The whole file.</summary>
    File,

    /// <summary>
    /// A payload the structural checks extract, e.g. the bytes after a picture's end marker: the same
    /// payload in any carrier file matches.
    /// </summary>
    Payload,
}

/// <summary>SHA-256 of the <see cref="Target"/> bytes, and their size when known (null: any size).</summary>
public sealed record HashSignature(HashTarget Target, string Sha256Hex, long? Size) : FeatureSignature;

/// <summary>A byte pattern and where in the file it must be.</summary>
public sealed record PatternSignature(BytePattern Pattern, PatternAnchor Anchor) : FeatureSignature;

public enum AnchorKind
{
    /// <summary>Anywhere in the file.</summary>
    Anywhere,

    /// <summary>Starting exactly <see cref="PatternAnchor.Offset"/> bytes from the start.</summary>
    FromStart,

    /// <summary>Starting exactly <see cref="PatternAnchor.Offset"/> bytes before the end (ClamAV's <c>EOF-n</c>).</summary>
    FromEnd,
}

/// <summary>Where a pattern must match. Anchored patterns must be bounded, and lie within <see cref="MaxOffset"/> of their end of the file.</summary>
public readonly record struct PatternAnchor(AnchorKind Kind, int Offset)
{
    public const int MaxOffset = 16 * 1024 * 1024;

    public static readonly PatternAnchor Anywhere = new(AnchorKind.Anywhere, 0);
    public static PatternAnchor FromStart(int offset) => new(AnchorKind.FromStart, offset);
    public static PatternAnchor FromEnd(int offset) => new(AnchorKind.FromEnd, offset);
}
