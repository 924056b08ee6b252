namespace Parley.Core.Scanning;

/// <summary>
/// One reason a file is refused: what was found (<see cref="Code"/>, stable, see <see cref="ScanFindingCodes"/>),
/// which detector found it, and a sentence for people. Both detections (on the device and on the server)
/// speak in findings, so a refusal reads the same wherever it was made.
/// </summary>
public sealed record ScanFinding(string Code, string Detector, string Detail);

/// <summary>What one detector cost on one file.</summary>
public sealed record DetectorTiming(string Detector, double Milliseconds);

/// <summary>The stable finding codes (docs/scanning.md lists each with its meaning).</summary>
public static class ScanFindingCodes
{
    public const string TypeMismatch = "type.mismatch";
    public const string TypeUnknown = "type.unknown";
    public const string DataAfterEnd = "data.after_end";
    public const string EmbeddedArchive = "embedded.archive";
    public const string EmbeddedExecutable = "embedded.executable";
    public const string EmbeddedHtml = "embedded.html";
    public const string EmbeddedScript = "embedded.script";
    public const string EmbeddedPdf = "embedded.pdf";
    public const string SvgScript = "svg.script";
    public const string SvgExternalReference = "svg.external_reference";
    public const string DimensionsTooLarge = "dimensions.too_large";
    public const string StructureTruncated = "structure.truncated";
    public const string StructureMalformed = "structure.malformed";
    public const string FeatureMatch = "feature.match";
    public const string DecoderFailed = "decoder.failed";
    public const string DecodersDisagree = "decoders.disagree";
    public const string DecoderAbnormal = "decoder.abnormal";
    public const string ClamAvMatch = "clamav.match";
    /// <summary>The server could not scan the file (no worker, clamd unreachable, too large to scan): it fails closed.</summary>
    public const string ScanUnavailable = "scan.unavailable";
}
