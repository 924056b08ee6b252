namespace Parley.Core.Scanning.Structure;

/// <summary>What a file's first bytes say it is.</summary>
public enum MediaFormat
{
    Unknown,
    Png, Jpeg, Gif, WebP, Svg, Mp4, QuickTime, WebM,
    Zip, Rar, SevenZip, Gzip,
    Elf, Pe, MachO,
    Pdf, Html, Script,
}

/// <summary>The formats Parley shares as media, with their media types and file name extensions.</summary>
public static class MediaFormats
{
    private static readonly Dictionary<MediaFormat, (string MediaType, string[] Extensions)> Media = new()
    {
        [MediaFormat.Png] = ("image/png", [".png"]),
        [MediaFormat.Jpeg] = ("image/jpeg", [".jpg", ".jpeg", ".jpe", ".jfif"]),
        [MediaFormat.Gif] = ("image/gif", [".gif"]),
        [MediaFormat.WebP] = ("image/webp", [".webp"]),
        [MediaFormat.Svg] = ("image/svg+xml", [".svg"]),
        [MediaFormat.Mp4] = ("video/mp4", [".mp4", ".m4v", ".mov"]),
        [MediaFormat.QuickTime] = ("video/quicktime", [".mov", ".qt", ".mp4"]),
        [MediaFormat.WebM] = ("video/webm", [".webm", ".mkv"]),
    };

    /// <summary>True for the formats that are shared as media (pictures and videos).</summary>
    public static bool IsMedia(MediaFormat format) => Media.ContainsKey(format);

    public static string? MediaTypeOf(MediaFormat format) => Media.TryGetValue(format, out var media) ? media.MediaType : null;

    /// <summary>
    /// Whether a declared media type fits the format. MP4 and QuickTime share a container, so each
    /// accepts the other's type; Matroska is accepted as WebM's.
    /// </summary>
    public static bool Accepts(MediaFormat format, string mediaType)
    {
        var type = mediaType.Split(';')[0].Trim().ToLowerInvariant();
        return format switch
        {
            MediaFormat.Mp4 or MediaFormat.QuickTime => type is "video/mp4" or "video/quicktime" or "audio/mp4",
            MediaFormat.WebM => type is "video/webm" or "audio/webm" or "video/x-matroska",
            MediaFormat.Jpeg => type is "image/jpeg" or "image/jpg" or "image/pjpeg",
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
