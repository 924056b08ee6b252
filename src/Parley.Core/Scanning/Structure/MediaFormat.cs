namespace Parley.Core.Scanning.Structure;

/// <summary>What a file's first bytes say it is.</summary>
public enum MediaFormat
{
    Unknown,
    Png, Jpeg, Gif, WebP, Svg, Mp4, QuickTime, WebM,
    Ogg, Flac, Wav, Mp3,
    Zip, Rar, SevenZip, Gzip,
    Elf, Pe, MachO,
    Pdf, Html, Script,
}

/// <summary>
/// The formats Parley shares as media (pictures, videos, audio), with their media types and file name extensions,
/// and the type rule's other half: what a file claims to be, and which files are attachments.
/// </summary>
public static class MediaFormats
{
    private static readonly Dictionary<MediaFormat, (string MediaType, string[] Extensions)> Media = new()
    {
        [MediaFormat.Png] = ("image/png", [".png"]),
        [MediaFormat.Jpeg] = ("image/jpeg", [".jpg", ".jpeg", ".jpe", ".jfif"]),
        [MediaFormat.Gif] = ("image/gif", [".gif"]),
        [MediaFormat.WebP] = ("image/webp", [".webp"]),
        [MediaFormat.Svg] = ("image/svg+xml", [".svg"]),
        [MediaFormat.Mp4] = ("video/mp4", [".mp4", ".m4v", ".mov", ".m4a"]),
        [MediaFormat.QuickTime] = ("video/quicktime", [".mov", ".qt", ".mp4"]),
        [MediaFormat.WebM] = ("video/webm", [".webm", ".mkv"]),
        [MediaFormat.Ogg] = ("audio/ogg", [".ogg", ".oga", ".opus"]),
        [MediaFormat.Flac] = ("audio/flac", [".flac"]),
        [MediaFormat.Wav] = ("audio/wav", [".wav"]),
        [MediaFormat.Mp3] = ("audio/mpeg", [".mp3"]),
    };

    private static readonly string[] MediaTypeFamilies = ["image/", "video/", "audio/"];

    /// <summary>True for the formats that are shared as media (pictures, videos and audio).</summary>
    public static bool IsMedia(MediaFormat format) => Media.ContainsKey(format);

    /// <summary>Executables, HTML pages and scripts: never shared, whatever they claim to be.</summary>
    public static bool IsRefused(MediaFormat format) =>
        format is MediaFormat.Elf or MediaFormat.Pe or MediaFormat.MachO or MediaFormat.Html or MediaFormat.Script;

    /// <summary>
    /// Whether a file claims to be media: its declared type is image/*, video/* or audio/*, or its name's extension
    /// is one of a media format's. Such a file must be that media.
    /// </summary>
    public static bool ClaimsMedia(string? declaredMediaType, string? fileName)
    {
        var type = declaredMediaType?.Trim() ?? "";
        if (MediaTypeFamilies.Any(family => type.StartsWith(family, StringComparison.OrdinalIgnoreCase))) return true;
        var extension = Path.GetExtension(fileName ?? "").ToLowerInvariant();
        return extension.Length > 0 && Media.Values.Any(media => media.Extensions.Contains(extension));
    }

    /// <summary>
    /// An attachment (a document, archive or other file) is a file whose bytes are no media format and that does not
    /// claim to be media: it gets no embedded-content search and no walker, its own formats legitimately holding
    /// archives, fonts and scripts.
    /// </summary>
    public static bool IsAttachment(MediaFormat format, string? declaredMediaType, string? fileName) =>
        !IsMedia(format) && !ClaimsMedia(declaredMediaType, fileName);

    public static string? MediaTypeOf(MediaFormat format) => Media.TryGetValue(format, out var media) ? media.MediaType : null;

    /// <summary>
    /// Whether a declared media type fits the format. MP4 and QuickTime share a container, so each
    /// accepts the other's type (and audio/mp4's); Matroska is accepted as WebM's; audio formats take their common aliases.
    /// </summary>
    public static bool Accepts(MediaFormat format, string mediaType)
    {
        var type = mediaType.Split(';')[0].Trim().ToLowerInvariant();
        return format switch
        {
            MediaFormat.Mp4 or MediaFormat.QuickTime => type is "video/mp4" or "video/quicktime" or "audio/mp4" or "audio/x-m4a",
            MediaFormat.WebM => type is "video/webm" or "audio/webm" or "video/x-matroska",
            MediaFormat.Jpeg => type is "image/jpeg" or "image/jpg" or "image/pjpeg",
            MediaFormat.Ogg => type is "audio/ogg" or "audio/opus" or "video/ogg",
            MediaFormat.Flac => type is "audio/flac" or "audio/x-flac",
            MediaFormat.Wav => type is "audio/wav" or "audio/x-wav" or "audio/vnd.wave" or "audio/wave",
            MediaFormat.Mp3 => type is "audio/mpeg" or "audio/mp3",
            _ => MediaTypeOf(format) == type,
        };
    }

    public static bool AcceptsExtension(MediaFormat format, string extension) =>
        Media.TryGetValue(format, out var media) && media.Extensions.Contains(extension.ToLowerInvariant());

    /// <summary>How a format is called in findings, e.g. "a ZIP archive".</summary>
    public static string Describe(MediaFormat format) => format switch
    {
        MediaFormat.Png => "a PNG picture",
        MediaFormat.Jpeg => "a JPEG picture",
        MediaFormat.Gif => "a GIF picture",
        MediaFormat.WebP => "a WebP picture",
        MediaFormat.Svg => "an SVG drawing",
        MediaFormat.Mp4 => "an MP4 video",
        MediaFormat.QuickTime => "a QuickTime video",
        MediaFormat.WebM => "a WebM/Matroska video",
        MediaFormat.Ogg => "an Ogg audio file",
        MediaFormat.Flac => "a FLAC audio file",
        MediaFormat.Wav => "a WAV audio file",
        MediaFormat.Mp3 => "an MP3 audio file",
        MediaFormat.Zip => "a ZIP archive",
        MediaFormat.Rar => "a RAR archive",
        MediaFormat.SevenZip => "a 7z archive",
        MediaFormat.Gzip => "a gzip stream",
        MediaFormat.Elf => "an ELF executable",
        MediaFormat.Pe => "a Windows (PE) executable",
        MediaFormat.MachO => "a Mach-O executable",
        MediaFormat.Pdf => "a PDF document",
        MediaFormat.Html => "an HTML page",
        MediaFormat.Script => "a script",
        _ => "of no known format",
    };
}
