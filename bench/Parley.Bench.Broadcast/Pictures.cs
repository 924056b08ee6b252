using SkiaSharp;

namespace Parley.Bench.Broadcast;

internal static class Pictures
{
    /// <summary>A small PNG, different for each seed: every broadcast carries a picture the server has not seen, and gets a real thumbnail.</summary>
    public static string Write(string folder, int seed)
    {
        using var bitmap = new SKBitmap(160, 100);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.White })
        {
            canvas.Clear(new SKColor((byte)seed, (byte)(seed >> 8), 200));
            canvas.DrawCircle(80, 50, 30 + seed % 17, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        var path = Path.Combine(folder, $"picture-{seed}.png");
        using var file = File.Create(path);
        image.Encode(SKEncodedImageFormat.Png, 100).SaveTo(file);
        return path;
    }
}
