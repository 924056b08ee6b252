using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using ImageMagick;
using SkiaSharp;

namespace Parley.Server.Tests.Scanning;

/// <summary>The corpus the scan tests make for themselves: real pictures and videos, and broken ones made from them.</summary>
public static class TestMedia
{
    public static byte[] Picture(SKEncodedImageFormat format, int width = 320, int height = 200)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor(30, 90, 200));
            using var paint = new SKPaint { Color = SKColors.White };
            canvas.DrawCircle(width / 2f, height / 2f, height / 3f, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(format, 90).ToArray();
    }

    public static byte[] Png() => Picture(SKEncodedImageFormat.Png);

    public static byte[] Jpeg() => Picture(SKEncodedImageFormat.Jpeg);

    public static byte[] WebP() => Picture(SKEncodedImageFormat.Webp);

    /// <summary>A three-frame animation (SkiaSharp does not write GIF; ImageMagick does).</summary>
    public static byte[] AnimatedGif()
    {
        using var frames = new MagickImageCollection();
        foreach (var color in new[] { MagickColors.Red, MagickColors.Green, MagickColors.Blue })
            frames.Add(new MagickImage(color, 64, 48) { AnimationDelay = 10 });
        return frames.ToByteArray(MagickFormat.Gif);
    }

    /// <summary>A TIFF: ImageMagick decodes it, SkiaSharp has no codec for it.</summary>
    public static byte[] Tiff()
    {
        using var image = new MagickImage(MagickColors.Orange, 32, 32);
        return image.ToByteArray(MagickFormat.Tiff);
    }

    public static byte[] Truncated(byte[] file) => file[..(file.Length / 2)];

    /// <summary>
    /// A PNG of a few hundred bytes whose header declares <paramref name="width"/>×<paramref name="height"/> pixels
    /// (60000×60000 RGB is 10.8 GB decoded): a pixel flood. Its one row of data compresses to almost nothing.
    /// </summary>
    public static byte[] PixelFlood(int width = 60_000, int height = 60_000)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        var rows = new MemoryStream();
        using (var zlib = new ZLibStream(rows, CompressionLevel.SmallestSize, leaveOpen: true)) zlib.Write(new byte[1 + 3 * width]);
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(png, "IHDR"u8, header);
        WriteChunk(png, "IDAT"u8, rows.ToArray());
        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static void WriteChunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        byte[] typed = [.. type, .. data];
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        png.Write(number);
    }

    /// <summary>PNG's CRC-32 (ISO 3309), over the chunk type and data.</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>
    /// A real H.264 MP4 with AAC audio from FFmpeg's test sources; <c>+faststart</c> puts the index first, so a
    /// truncated copy still opens and its missing frames show.
    /// </summary>
    public static Task<byte[]> Mp4(double seconds = 4) => Ffmpeg("mp4",
        "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
        "-t", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264", "-b:v", "400k", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-movflags", "+faststart");

    /// <summary>Two seconds of a sine tone as PCM WAV.</summary>
    public static Task<byte[]> Wav() => Ffmpeg("wav", "-f", "lavfi", "-i", "sine=frequency=440", "-t", "2");

    /// <summary>Two seconds of a sine tone as FLAC.</summary>
    public static Task<byte[]> Flac() => Ffmpeg("flac", "-f", "lavfi", "-i", "sine=frequency=440", "-t", "2");

    /// <summary>Two seconds of a sine tone as MP3 (LAME writes an ID3 tag first).</summary>
    public static Task<byte[]> Mp3() => Ffmpeg("mp3", "-f", "lavfi", "-i", "sine=frequency=440", "-t", "2", "-c:a", "libmp3lame");

    private static async Task<byte[]> Ffmpeg(string extension, params string[] arguments)
    {
        var path = Path.Combine(Path.GetTempPath(), $"parley-test-{Guid.NewGuid():N}.{extension}");
        try
        {
            var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in (string[])["-v", "error", "-nostdin", .. arguments, path]) start.ArgumentList.Add(argument);
            using var ffmpeg = Process.Start(start)!;
            var errors = await ffmpeg.StandardError.ReadToEndAsync();
            await ffmpeg.WaitForExitAsync();
            Assert.True(ffmpeg.ExitCode == 0, $"ffmpeg could not make the test {extension}: {errors}");
            return await File.ReadAllBytesAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
