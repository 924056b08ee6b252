using ImageMagick;

namespace Parley.Server.Scanning;

/// <summary>
/// The picture formats the worker decodes, by magic number. ImageMagick is only ever told one of these
/// (never left to guess), so input that claims to be a picture cannot reach its script-like coders
/// (MVG, MSL, SVG, TXT, …), which can read other files.
/// </summary>
internal static class PictureFormats
{
    private static readonly (byte[] Magic, int Offset, MagickFormat Format)[] Table =
    [
        ([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], 0, MagickFormat.Png),
        ([0xFF, 0xD8, 0xFF], 0, MagickFormat.Jpeg),
        ("GIF87a"u8.ToArray(), 0, MagickFormat.Gif),
        ("GIF89a"u8.ToArray(), 0, MagickFormat.Gif),
        ("WEBP"u8.ToArray(), 8, MagickFormat.WebP),
        ("BM"u8.ToArray(), 0, MagickFormat.Bmp),
        ([(byte)'I', (byte)'I', 42, 0], 0, MagickFormat.Tiff),
        ([(byte)'M', (byte)'M', 0, 42], 0, MagickFormat.Tiff),
        ([0, 0, 1, 0], 0, MagickFormat.Ico),
    ];

    /// <summary>The format the first bytes announce, or null when they are no picture format the worker decodes.</summary>
    public static MagickFormat? Sniff(ReadOnlySpan<byte> head)
    {
        foreach (var (magic, offset, format) in Table)
            if (head.Length >= offset + magic.Length && head.Slice(offset, magic.Length).SequenceEqual(magic)
                && (format != MagickFormat.WebP || head[..4].SequenceEqual("RIFF"u8)))
                return format;
        return null;
    }
}
