using System.Diagnostics;
using System.Text;
using ImageMagick;
using SkiaSharp;

namespace Parley.Bench.Scanning;

/// <summary>One file of the corpus and the type a sender would declare for it.</summary>
internal sealed record CorpusFile(string Path, string MediaType, long Bytes);

/// <summary>
/// A mixed corpus made on the spot: mostly clean pictures of phone-like sizes (JPEG, PNG, WebP, a few GIF
/// animations), a few short H.264 videos, and two carriers with a known payload appended (so both sides have
/// something to find).
/// </summary>
internal static class Corpus
{
    public const string Marker = "PARLEY-BENCH-PAYLOAD-7f3a";

    public static async Task<List<CorpusFile>> MakeAsync(string folder, int pictures, int videos)
    {
        var files = new List<CorpusFile>();
        var random = new Random(7);
        for (var i = 0; i < pictures; i++)
        {
            var (width, height) = (i % 3) switch { 0 => (1280, 720), 1 => (1920, 1080), _ => (800, 600) };
            var (format, type, extension) = (i % 10) switch
            {
                < 5 => (SKEncodedImageFormat.Jpeg, "image/jpeg", "jpg"),
                < 8 => (SKEncodedImageFormat.Png, "image/png", "png"),
                _ => (SKEncodedImageFormat.Webp, "image/webp", "webp"),
            };
            files.Add(await Write(folder, $"p{i}.{extension}", type, Picture(random, width, height, format)));
        }
        for (var i = 0; i < Math.Max(1, pictures / 20); i++) files.Add(await Write(folder, $"a{i}.gif", "image/gif", Animation(random)));
        for (var i = 0; i < videos; i++) files.Add(await Video(folder, $"v{i}.mp4", 4 + i));
        for (var i = 0; i < 2; i++)
            files.Add(await Write(folder, $"carrier{i}.jpg", "image/jpeg", [.. Picture(random, 640, 480, SKEncodedImageFormat.Jpeg), .. Encoding.ASCII.GetBytes(Marker)]));
        return files;
    }

    private static async Task<CorpusFile> Write(string folder, string name, string type, byte[] bytes)
    {
        var path = System.IO.Path.Combine(folder, name);
        await File.WriteAllBytesAsync(path, bytes);
        return new CorpusFile(path, type, bytes.Length);
    }

    /// <summary>Gradients, shapes and a little noise: compresses like a photo-ish picture, not like a flat colour.</summary>
    private static byte[] Picture(Random random, int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var paint = new SKPaint { Shader = SKShader.CreateLinearGradient(new(0, 0), new(width, height),
                [new SKColor((uint)random.Next() | 0xFF000000), new SKColor((uint)random.Next() | 0xFF000000)], SKShaderTileMode.Clamp) };
            canvas.DrawRect(0, 0, width, height, paint);
            using var shape = new SKPaint { IsAntialias = true };
            for (var i = 0; i < 40; i++)
            {
                shape.Color = new SKColor((uint)random.Next() | 0x80000000);
                canvas.DrawCircle(random.Next(width), random.Next(height), random.Next(10, height / 4), shape);
            }
        }
        var pixels = bitmap.GetPixelSpan();
        var noise = new byte[pixels.Length / 16];
        random.NextBytes(noise);
        for (var i = 0; i < noise.Length; i++) pixels[i * 16] ^= (byte)(noise[i] & 0x0F);
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(format, 85).ToArray();
    }

    private static byte[] Animation(Random random)
    {
        using var frames = new MagickImageCollection();
        for (var i = 0; i < 10; i++) frames.Add(new MagickImage(new MagickColor((byte)random.Next(256), (byte)random.Next(256), 128), 320, 240) { AnimationDelay = 10 });
        return frames.ToByteArray(MagickFormat.Gif);
    }

    private static async Task<CorpusFile> Video(string folder, string name, int seconds)
    {
        var path = System.IO.Path.Combine(folder, name);
        var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg")
        {
            ArgumentList = { "-v", "error", "-nostdin", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=frequency=440",
                "-t", seconds.ToString(), "-c:v", "libx264", "-b:v", "800k", "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+faststart", path },
            UseShellExecute = false,
        })!;
        await ffmpeg.WaitForExitAsync();
        if (ffmpeg.ExitCode != 0) throw new InvalidOperationException("ffmpeg could not make the corpus video.");
        return new CorpusFile(path, "video/mp4", new FileInfo(path).Length);
    }
}
