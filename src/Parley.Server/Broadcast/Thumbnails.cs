using Microsoft.Extensions.Options;
using Parley.Server.Hosting;
using SkiaSharp;

namespace Parley.Server.Broadcast;

/// <summary>A preview, and what making it cost in pixel memory (the figure the memory bound is about).</summary>
public sealed record Thumbnail(string DataUrl, int DecodedWidth, int DecodedHeight, long PixelBufferBytes);

/// <summary>
/// Small previews for broadcast events. A picture's memory cost is set by its declared dimensions,
/// not its file size (an 8000×8000 PNG of 250 KB is a 256 MB bitmap), so nothing here ever holds the
/// full picture: the header's dimensions are checked first, then the picture is decoded either
/// already scaled down by the codec (JPEG, WebP), or in strips of full-width rows of at most
/// <see cref="MaxDecodeBytes"/>, keeping every n-th pixel of every n-th row (PNG, GIF, …). Pixel
/// memory is thus at most <see cref="MaxDecodeBytes"/> plus the small result, whatever the picture
/// declares. Decodes also queue behind a semaphore sized by <c>Parley:Broadcast:MaxConcurrentDecodes</c>,
/// so parallel broadcasts cannot add their costs up.
/// </summary>
public sealed class Thumbnails(IOptions<ParleyOptions> options) : IDisposable
{
    public const int MaxSide = 160;
    private const long MaxPixels = 64_000_000;
    private const long MaxInputBytes = 64L * 1024 * 1024;
    /// <summary>The most pixel memory one decode holds: a codec-scaled picture, or one strip of rows.</summary>
    public const long MaxDecodeBytes = 16L * 1024 * 1024;

    private readonly SemaphoreSlim _decodes = new(options.Value.Broadcast.MaxConcurrentDecodes);

    /// <summary>The preview, or null when the bytes are not a picture this server will decode.</summary>
    public async Task<Thumbnail?> Make(Func<CancellationToken, Task<Stream>> open, long size, CancellationToken ct)
    {
        await _decodes.WaitAsync(ct);
        try
        {
            await using var picture = await open(ct);
            return Decode(picture, size);
        }
        finally
        {
            _decodes.Release();
        }
    }

    public static Thumbnail? Decode(Stream picture, long size)
    {
        if (size > MaxInputBytes) return null;
        using var data = SKData.Create(picture);
        using var codec = data is null ? null : SKCodec.Create(data);
        if (codec is null) return null;
        var info = codec.Info;
        if (info.Width <= 0 || info.Height <= 0 || (long)info.Width * info.Height > MaxPixels) return null;

        var scaled = codec.GetScaledDimensions(Math.Min(1f, 2f * MaxSide / Math.Max(info.Width, info.Height)));
        var (decoded, stripBytes) = scaled.Width * 4L * scaled.Height <= MaxDecodeBytes
            ? (DecodeScaled(codec, scaled), 0L)
            : DecodeSampled(codec, info);
        if (decoded is null) return null;
        using (decoded)
        {
            var fit = Math.Min(1.0, (double)MaxSide / Math.Max(decoded.Width, decoded.Height));
            var target = new SKImageInfo(Math.Max(1, (int)(decoded.Width * fit)), Math.Max(1, (int)(decoded.Height * fit)), SKColorType.Rgba8888, SKAlphaType.Premul);
            using var small = decoded.Resize(target, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None));
            if (small is null) return null;
            using var image = SKImage.FromBitmap(small);
            using var jpeg = image.Encode(SKEncodedImageFormat.Jpeg, 75);
            return new Thumbnail("data:image/jpeg;base64," + Convert.ToBase64String(jpeg.AsSpan()),
                decoded.Width, decoded.Height, decoded.ByteCount + stripBytes + small.ByteCount);
        }
    }

    private static SKImageInfo Rgba(int width, int height) => new(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);

    /// <summary>The codec scales while decoding (JPEG, WebP), or the picture is small anyway.</summary>
    private static SKBitmap? DecodeScaled(SKCodec codec, SKSizeI size)
    {
        var bitmap = new SKBitmap(Rgba(size.Width, size.Height));
        if (codec.GetPixels(bitmap.Info, bitmap.GetPixels()) is SKCodecResult.Success or SKCodecResult.IncompleteInput) return bitmap;
        bitmap.Dispose();
        return null;
    }

    /// <summary>
    /// Decodes strips of full-width rows (each strip a subset decode of its own, so only one strip is
    /// ever in memory) and keeps every n-th pixel of every n-th row. Each strip restarts the decoder,
    /// which is the price of the bound: at most 64 MP / 16 MB = 16 strips, about eight full decodes.
    /// </summary>
    private static (SKBitmap? Sampled, long StripBytes) DecodeSampled(SKCodec codec, SKImageInfo info)
    {
        var rowsPerStrip = (int)Math.Min(info.Height, MaxDecodeBytes / (info.Width * 4L));
        if (rowsPerStrip == 0) return (null, 0);
        var step = (int)Math.Ceiling(Math.Max(info.Width, info.Height) / (2.0 * MaxSide));
        var (width, height) = ((info.Width + step - 1) / step, (info.Height + step - 1) / step);
        var full = Rgba(info.Width, info.Height);

        using var strip = new SKBitmap(Rgba(info.Width, rowsPerStrip));
        var sampled = new SKBitmap(Rgba(width, height));
        for (var top = 0; top < info.Height; top += rowsPerStrip)
        {
            var rows = Math.Min(rowsPerStrip, info.Height - top);
            strip.Erase(SKColors.Transparent); // a truncated picture leaves the rest of the strip blank, as a browser shows it
            var started = codec.StartIncrementalDecode(full, strip.GetPixels(), strip.RowBytes, new SKCodecOptions(new SKRectI(0, top, info.Width, top + rows)));
            if (started != SKCodecResult.Success || codec.IncrementalDecode() is not (SKCodecResult.Success or SKCodecResult.IncompleteInput))
            {
                sampled.Dispose();
                return (null, 0);
            }
            for (var y = (top + step - 1) / step * step; y < top + rows; y += step)
            {
                var source = strip.GetPixelSpan().Slice((y - top) * strip.RowBytes, strip.RowBytes);
                var target = sampled.GetPixelSpan().Slice(y / step * sampled.RowBytes, width * 4);
                for (var x = 0; x < width; x++) source.Slice(x * step * 4, 4).CopyTo(target.Slice(x * 4, 4));
            }
        }
        return (sampled, strip.ByteCount);
    }

    public void Dispose() => _decodes.Dispose();
}
