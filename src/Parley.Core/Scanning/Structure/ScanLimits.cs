namespace Parley.Core.Scanning.Structure;

/// <summary>
/// The largest picture the structural checks let through, judged from the dimensions its headers declare
/// before anything is decoded: a 60000×60000 PNG is a few hundred bytes that a decoder would turn into
/// gigabytes. <see cref="MaxAnimationPixels"/> bounds the sum over the frames of an animation.
/// </summary>
public sealed record ScanLimits
{
    public static readonly ScanLimits Default = new();

    public int MaxWidth { get; init; } = 20_000;
    public int MaxHeight { get; init; } = 20_000;
    public long MaxPixels { get; init; } = 200_000_000;
    public long MaxAnimationPixels { get; init; } = 1_000_000_000;
}
