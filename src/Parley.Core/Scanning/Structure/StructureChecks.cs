namespace Parley.Core.Scanning.Structure;

/// <summary>
/// The structural checks that are cheap enough for a device, in one forward read of the file: the format
/// by magic bytes against the declared media type and the name's extension, then the format's own walk
/// (PNG chunks and CRCs, JPEG markers, GIF blocks, WebP RIFF, MP4 boxes, SVG content) with dimensions
/// judged from headers before any decoding, truncation, malformed structures, and bytes after the end
/// marker as payloads. Embedded content is searched in the same pass as the feature library
/// (<see cref="EmbeddedContent"/>), since both read every byte.
/// </summary>
public static class StructureChecks
{
    public const string TypeDetector = "type";

    /// <param name="content">Read forward from its current position, only as far as the format's walk needs (a walk that
    /// finds bytes after the end marker reads them to measure the payload; a file of no walked format is read no
    /// further than its head), so a large attachment costs no read here.</param>
    /// <param name="declaredMediaType">What the sender says it is (e.g. <c>image/png</c>); null: not declared.</param>
    /// <param name="fileName">The file's name; its extension is checked against the format.</param>
    public static StructureReport Check(Stream content, string? declaredMediaType, string? fileName, ScanLimits? limits = null)
    {
        var reader = new ByteReader(content);
        var format = FormatSniffer.Identify(reader.PeekSpan(FormatSniffer.HeadLength));
        var log = new StructureLog(format.ToString().ToLowerInvariant(), limits ?? ScanLimits.Default);
        var typeFindings = CheckType(format, declaredMediaType, fileName);
        switch (format)
        {
            case MediaFormat.Png: PngWalker.Walk(reader, log); break;
            case MediaFormat.Jpeg: JpegWalker.Walk(reader, log); break;
            case MediaFormat.Gif: GifWalker.Walk(reader, log); break;
            case MediaFormat.WebP: WebPWalker.Walk(reader, log); break;
            case MediaFormat.Svg: SvgCheck.Check(reader, log); break;
            case MediaFormat.Mp4 or MediaFormat.QuickTime: Mp4Walker.Walk(reader, log); break;
        }
        return new StructureReport(format, [.. typeFindings, .. log.Findings], log.Payloads, log.Size)
        {
            IsAttachment = MediaFormats.IsAttachment(format, declaredMediaType, fileName),
        };
    }

    /// <summary>
    /// The type rule (docs/scanning.md, "Type"): bytes of a media format must be of the declared type and have an
    /// extension of that format; a file that claims media (<see cref="MediaFormats.ClaimsMedia"/>) must be media; any
    /// other file is an attachment, shared whatever its bytes are, except executables, HTML pages and scripts.
    /// </summary>
    public static IReadOnlyList<ScanFinding> CheckType(MediaFormat format, string? declaredMediaType, string? fileName)
    {
        var what = MediaFormats.Describe(format);
        if (!MediaFormats.IsMedia(format))
        {
            if (MediaFormats.ClaimsMedia(declaredMediaType, fileName))
                return format == MediaFormat.Unknown
                    ? [new(ScanFindingCodes.TypeUnknown, TypeDetector, "The file's first bytes are of no picture, video or audio format Parley knows.")]
                    : [new(ScanFindingCodes.TypeMismatch, TypeDetector, $"The file is really {what}, not a picture, video or audio.")];
            return MediaFormats.IsRefused(format)
                ? [new(ScanFindingCodes.TypeMismatch, TypeDetector, $"The file is really {what}: Parley does not share executables, HTML pages or scripts.")]
                : [];
        }
        var findings = new List<ScanFinding>();
        if (!string.IsNullOrWhiteSpace(declaredMediaType) && !MediaFormats.Accepts(format, declaredMediaType))
            findings.Add(new(ScanFindingCodes.TypeMismatch, TypeDetector, $"The file is declared as {declaredMediaType.Trim()} but its bytes are {what}."));
        var extension = Path.GetExtension(fileName ?? "");
        if (extension.Length > 0 && !MediaFormats.AcceptsExtension(format, extension))
            findings.Add(new(ScanFindingCodes.TypeMismatch, TypeDetector, $"The file is named '{Path.GetFileName(fileName)}' but its bytes are {what}."));
        return findings;
    }
}
