using SkiaSharp;

namespace Parley.Server.Broadcast;

/// <summary>
/// Small previews for broadcast events. Decoders are not safe against decompression bombs by
/// default, so the header's dimensions are checked before anything is decoded, and the picture is
/// decoded at a reduced scale where the codec allows it.
/// </summary>
public static class Thumbnails
{
    public const int MaxSide = 160;
    private const long MaxPixels = 64_000_000;
    private const long MaxInputBytes = 64L * 1024 * 1024;

    /// <summary>A data: URL of a JPEG preview, or null when the bytes are not a picture this server will decode.</summary>
    public static string? TryMake(Stream picture, long size)
    {
        if (size > MaxInputBytes) return null;
        using var data = SKData.Create(picture);
        using var codec = data is null ? null : SKCodec.Create(data);
        if (codec is null) return null;
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > MaxPixels) return null;

        var scale = Math.Min(1f, 2f * MaxSide / Math.Max(info.Width, info.Height));
        var decoded = codec.GetScaledDimensions(scale);
        using var bitmap = new SKBitmap(new SKImageInfo(decoded.Width, decoded.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var result = codec.GetPixels(bitmap.Info, bitmap.GetPixels());
        if (result is not (SKCodecResult.Success or SKCodecResult.IncompleteInput)) return null;

        var fit = Math.Min(1.0, (double)MaxSide / Math.Max(decoded.Width, decoded.Height));
        var target = new SKImageInfo(Math.Max(1, (int)(decoded.Width * fit)), Math.Max(1, (int)(decoded.Height * fit)), SKColorType.Rgba8888, SKAlphaType.Premul);
        using var small = bitmap.Resize(target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        if (small is null) return null;
        using var image = SKImage.FromBitmap(small);
        using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 75);
        return "data:image/jpeg;base64," + Convert.ToBase64String(jpeg.AsSpan());
    }
}
