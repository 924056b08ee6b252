namespace Parley.Core.Scanning.Structure;

/// <summary>
/// What the structural checks found in one file: its <see cref="Format"/> by magic bytes, the findings,
/// and the payloads (e.g. the data after the end marker) whose bytes a payload feature can hash.
/// </summary>
public sealed record StructureReport(MediaFormat Format, IReadOnlyList<ScanFinding> Findings, IReadOnlyList<ByteRange> Payloads, PictureSize? Size)
{
    /// <summary>A document, archive or other non-media file (<see cref="MediaFormats.IsAttachment"/>): no embedded-content search.</summary>
    public bool IsAttachment { get; init; }
}

/// <summary>A picture's dimensions as its header declares them.</summary>
public readonly record struct PictureSize(long Width, long Height);

/// <summary>Collects one walker's findings and payloads, and judges declared dimensions against the limits.</summary>
internal sealed class StructureLog(string detector, ScanLimits limits)
{
    public List<ScanFinding> Findings { get; } = [];
    public List<ByteRange> Payloads { get; } = [];
    public PictureSize? Size { get; private set; }
    public string Detector { get; } = detector;
    public ScanLimits Limits { get; } = limits;

    public void Add(string code, string detail) => Findings.Add(new ScanFinding(code, Detector, detail));

    public void Truncated(string what, long at) => Add(ScanFindingCodes.StructureTruncated, $"The file ends at byte {at}, inside {what}.");

    public void Malformed(string detail) => Add(ScanFindingCodes.StructureMalformed, detail);

    /// <summary>Bytes after the format's end marker: a finding, and a payload to hash.</summary>
    public void DataAfterEnd(string marker, long start, long length)
    {
        if (length <= 0) return;
        Payloads.Add(new ByteRange(start, length));
        Add(ScanFindingCodes.DataAfterEnd, $"{length} bytes follow the {marker} at byte {start}.");
    }

    /// <summary>Bytes inside the structure that carry no picture data (a private chunk): a payload to hash, not a finding.</summary>
    public void Payload(long start, long length)
    {
        if (length > 0) Payloads.Add(new ByteRange(start, length));
    }

    /// <summary>Checks declared dimensions; the first call also records them as the picture's size.</summary>
    /// <returns>False when they are beyond the limits.</returns>
    public bool Dimensions(long width, long height, string what)
    {
        Size ??= new PictureSize(width, height);
        if (width <= Limits.MaxWidth && height <= Limits.MaxHeight && width * height <= Limits.MaxPixels) return true;
        Add(ScanFindingCodes.DimensionsTooLarge,
            $"{what} declares {width}×{height} pixels; the limits are {Limits.MaxWidth}×{Limits.MaxHeight} and {Limits.MaxPixels} pixels.");
        return false;
    }

    public StructureReport Report(MediaFormat format) => new(format, Findings, Payloads, Size);
}
