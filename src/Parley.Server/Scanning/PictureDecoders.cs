using System.Runtime.InteropServices;
using ImageMagick;
using ImageMagick.Formats;
using Parley.Core.Scanning;
using SkiaSharp;

namespace Parley.Server.Scanning;

/// <summary>What a decoder says a picture is: its canvas and its number of frames.</summary>
internal sealed record PictureShape(long Width, long Height, int Frames)
{
    public override string ToString() => Frames == 1 ? $"{Width}×{Height}" : $"{Width}×{Height}, {Frames} frames";
}

/// <summary>
/// JPEG is decoded by both libraries at 1/8 of its size, through libjpeg(-turbo)'s DCT scaling: the entropy decoder
/// still reads every coefficient of every block, so a truncated or corrupt scan is found as at full size; what is
/// skipped is most of the inverse DCT, the upsampling and the colour conversion, and 63/64 of the pixel buffer.
/// The header (full dimensions, against the limits) is checked before either decode starts.
/// </summary>
internal static class PictureScale
{
    public const int Factor = 8;

    /// <summary>The size to ask ImageMagick for (<c>jpeg:size</c>): it picks the largest DCT scale that still reaches it.</summary>
    public static MagickGeometry Reduced(PictureShape header) =>
        new((uint)Math.Max(1, header.Width / Factor), (uint)Math.Max(1, header.Height / Factor));
}

/// <summary>
/// SkiaSharp, the decoder the browser family uses. <see cref="SKCodec"/> reads the header without decoding;
/// frames are then decoded with <see cref="SKCodec.GetPixels(SKImageInfo, IntPtr, SKCodecOptions)"/>, which
/// (unlike <c>SKBitmap.Decode</c>) reports a truncated file as <see cref="SKCodecResult.IncompleteInput"/>.
/// </summary>
internal static class SkiaPictures
{
    public const string Detector = "skia";

    public static PictureShape? Header(WorkerScan scan)
    {
        using var codec = SKCodec.Create(scan.Path, out var result);
        if (codec is null)
        {
            scan.Add(ScanFindingCodes.DecoderFailed, Detector, $"SkiaSharp does not recognise the picture ({result}).");
            return null;
        }
        return new PictureShape(codec.Info.Width, codec.Info.Height, Math.Max(1, codec.FrameCount));
    }

    /// <summary>
    /// Decodes every frame into one buffer (the header was checked before), JPEG at <see cref="PictureScale.Factor"/>
    /// of its size; answers the canvas the codec decodes, at full size.
    /// </summary>
    public static PictureShape? Decode(WorkerScan scan)
    {
        using var codec = SKCodec.Create(scan.Path)!;
        var size = codec.EncodedFormat == SKEncodedImageFormat.Jpeg ? codec.GetScaledDimensions(1f / PictureScale.Factor) : codec.Info.Size;
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var frames = Math.Max(1, codec.FrameCount);
        var pixels = Marshal.AllocHGlobal((nint)info.BytesSize64);
        try
        {
            for (var frame = 0; frame < frames; frame++)
            {
                // Each frame is drawn over the one before it in the buffer, so none is decoded twice.
                var result = codec.GetPixels(info, pixels, frame == 0 ? new SKCodecOptions(0) : new SKCodecOptions(frame, frame - 1));
                if (result == SKCodecResult.Success) continue;
                var (code, detail) = result switch
                {
                    SKCodecResult.IncompleteInput => (ScanFindingCodes.StructureTruncated, "the data ends before the picture does"),
                    SKCodecResult.ErrorInInput => (ScanFindingCodes.StructureMalformed, "the data is malformed"),
                    _ => (ScanFindingCodes.DecoderFailed, $"decoding failed ({result})"),
                };
                scan.Add(code, Detector, $"SkiaSharp, frame {frame + 1} of {frames}: {detail}.");
                return null;
            }
        }
        finally
        {
            Marshal.FreeHGlobal(pixels);
        }
        return new PictureShape(codec.Info.Width, codec.Info.Height, frames);
    }
}

/// <summary>
/// ImageMagick (Magick.NET), an independent code base. Its resource limits are set once per worker
/// (<see cref="Configure"/>): no picture wider, taller or larger than the worker's limits, no pixel cache
/// spilled to disk. The format is always the sniffed one (see <see cref="PictureFormats"/>).
/// </summary>
internal static class MagickPictures
{
    public const string Detector = "magick";

    public static void Configure(WorkerSettings settings)
    {
        ResourceLimits.Width = (ulong)settings.MaxSide;
        ResourceLimits.Height = (ulong)settings.MaxSide;
        ResourceLimits.Area = (ulong)settings.MaxPixels;
        ResourceLimits.ListLength = (ulong)settings.MaxFrames;
        ResourceLimits.Memory = (ulong)(settings.MemoryBytes / 3);
        ResourceLimits.Disk = 0;
    }

    public static PictureShape? Header(WorkerScan scan, MagickFormat format) => Guard(scan, () =>
    {
        var frames = MagickImageInfo.ReadCollection(new FileInfo(scan.Path), new MagickReadSettings { Format = format }).ToList();
        return frames.Count == 0 ? null : new PictureShape(frames[0].Width, frames[0].Height, frames.Count);
    });

    /// <summary>Decodes every frame, JPEG at <see cref="PictureScale.Factor"/> of the size its header gave; answers the canvas at full size.</summary>
    public static PictureShape? Decode(WorkerScan scan, MagickFormat format, PictureShape header) => Guard(scan, () =>
    {
        var warnings = new List<MagickWarningException>();
        using var images = new MagickImageCollection();
        images.Warning += (_, e) => warnings.Add(e.Exception);
        var settings = new MagickReadSettings { Format = format };
        var scaled = format == MagickFormat.Jpeg;
        if (scaled) settings.SetDefines(new JpegReadDefines { Size = PictureScale.Reduced(header) });
        images.Read(new FileInfo(scan.Path), settings);
        // A corrupt-image warning is ImageMagick's way of saying it made up the missing rows (truncated JPEG).
        if (warnings.OfType<MagickCorruptImageWarningException>().FirstOrDefault() is { } corrupt)
        {
            scan.Add(TruncatedOrMalformed(corrupt.Message), Detector, $"ImageMagick: {Plain(corrupt.Message)}");
            return null;
        }
        if (images.Count == 0) return null;
        // A scaled read keeps the size it was decoded from; a frame of an animation may be smaller than the canvas (its page).
        if (scaled) return new PictureShape(images[0].BaseWidth, images[0].BaseHeight, images.Count);
        var page = images[0].Page;
        return page.Width > 0 && page.Height > 0
            ? new PictureShape(page.Width, page.Height, images.Count)
            : new PictureShape(images[0].Width, images[0].Height, images.Count);
    });

    private static PictureShape? Guard(WorkerScan scan, Func<PictureShape?> read)
    {
        try
        {
            return read();
        }
        catch (MagickResourceLimitErrorException e)
        {
            scan.Add(ScanFindingCodes.DimensionsTooLarge, Detector, $"ImageMagick refused it under the worker's limits: {Plain(e.Message)}");
        }
        catch (MagickCorruptImageErrorException e)
        {
            scan.Add(TruncatedOrMalformed(e.Message), Detector, $"ImageMagick: {Plain(e.Message)}");
        }
        catch (MagickException e)
        {
            scan.Add(ScanFindingCodes.DecoderFailed, Detector, $"ImageMagick: {Plain(e.Message)}");
        }
        return null;
    }

    /// <summary>ImageMagick's message without the file name and source location it appends (<c> `/proc/…' @ error/png.c/…</c>).</summary>
    private static string Plain(string message) => message.IndexOf(" `", StringComparison.Ordinal) is var cut and > 0 ? message[..cut] : message;

    private static string TruncatedOrMalformed(string message) =>
        new[] { "premature end", "truncat", "insufficient image data", "unexpected end", "unexpectedendoffile", "end of file" }.Any(m => message.Contains(m, StringComparison.OrdinalIgnoreCase))
            ? ScanFindingCodes.StructureTruncated
            : ScanFindingCodes.StructureMalformed;
}
