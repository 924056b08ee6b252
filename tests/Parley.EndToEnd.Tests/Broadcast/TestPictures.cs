using SkiaSharp;

namespace Parley.EndToEnd.Tests.Broadcast;

internal static class TestPictures
{
    /// <summary>Writes a real PNG (the broadcast role makes a thumbnail of it) and returns its path.</summary>
    public static string WritePng(string path)
    {
        using var bitmap = new SKBitmap(320, 200);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.White })
        {
            canvas.Clear(new SKColor(40, 90, 200));
            canvas.DrawCircle(160, 100, 60, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        using var file = File.Create(path);
        image.Encode(SKEncodedImageFormat.Png, 100).SaveTo(file);
        return path;
    }

    /// <summary>The ticket with one character in its middle changed: still base64url, no longer what the upload role sealed.</summary>
    public static string AlterOneCharacter(string ticket)
    {
        var middle = ticket.Length / 2;
        return ticket[..middle] + (ticket[middle] == 'A' ? 'B' : 'A') + ticket[(middle + 1)..];
    }
}
