namespace Parley.Core.Scanning.Features;

/// <summary>A feature file that is refused: <see cref="LineNumber"/> (1-based) says which line, the message why.</summary>
public sealed class FeatureFormatException(int lineNumber, string reason)
    : FormatException($"Line {lineNumber}: {reason}")
{
    public int LineNumber { get; } = lineNumber;
    public string Reason { get; } = reason;
}
