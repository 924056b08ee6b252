using SkiaSharp;

namespace Parley.Client.Tests.Broadcast;

internal static class TestPictures
{
    /// <summary>A real PNG, so the broadcast role can make a thumbnail of it; each seed gives different content.</summary>
    public static byte[] Png(int seed)
    {
        using var bitmap = new SKBitmap(320, 200);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.White })
        {
            canvas.Clear(new SKColor((byte)(seed * 37), (byte)(seed * 91), 200));
            canvas.DrawCircle(160, 100, 60, paint);
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    /// <summary>The ticket with one character in its middle changed: still base64url, no longer what the upload role sealed.</summary>
    public static string AlterOneCharacter(string ticket)
    {
        var middle = ticket.Length / 2;
        return ticket[..middle] + (ticket[middle] == 'A' ? 'B' : 'A') + ticket[(middle + 1)..];
    }
}
