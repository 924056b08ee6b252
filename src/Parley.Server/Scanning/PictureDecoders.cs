using System.Runtime.InteropServices;
using ImageMagick;
using Parley.Core.Scanning;
using SkiaSharp;

namespace Parley.Server.Scanning;

/// <summary>What a decoder says a picture is: its canvas and its number of frames.</summary>
internal sealed record PictureShape(long Width, long Height, int Frames)
{
    public override string ToString() => Frames == 1 ? $"{Width}×{Height}" : $"{Width}×{Height}, {Frames} frames";
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

    /// <summary>Decodes every frame into one buffer of the canvas's size (the header was checked before).</summary>
    public static PictureShape? Decode(WorkerScan scan)
    {
        using var codec = SKCodec.Create(scan.Path)!;
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
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
        return new PictureShape(info.Width, info.Height, frames);
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

    public static PictureShape? Decode(WorkerScan scan, MagickFormat format) => Guard(scan, () =>
    {
        var warnings = new List<MagickWarningException>();
        using var images = new MagickImageCollection();
        images.Warning += (_, e) => warnings.Add(e.Exception);
        images.Read(new FileInfo(scan.Path), new MagickReadSettings { Format = format });
        // A corrupt-image warning is ImageMagick's way of saying it made up the missing rows (truncated JPEG).
        if (warnings.OfType<MagickCorruptImageWarningException>().FirstOrDefault() is { } corrupt)
        {
            scan.Add(TruncatedOrMalformed(corrupt.Message), Detector, $"ImageMagick: {Plain(corrupt.Message)}");
            return null;
        }
        if (images.Count == 0) return null;
        // A frame of an animation may be smaller than the canvas (its page); compare canvases.
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
