using Parley.Core.Scanning;

namespace Parley.Server.Scanning;

/// <summary>
/// A picture through both decoders: both headers first (a pixel flood is refused before anything is
/// allocated for it), then both decodes, then their answers compared: one decoding what the other cannot,
/// or the two seeing different canvases or frame counts, is <see cref="ScanFindingCodes.DecodersDisagree"/>.
/// </summary>
internal static class PictureScan
{
    public static async Task RunAsync(WorkerScan scan)
    {
        var format = PictureFormats.Sniff(scan.Head);
        var skiaHeader = await scan.RunAsync(SkiaPictures.Detector, () => SkiaPictures.Header(scan));
        PictureShape? magickHeader = null;
        if (format is { } known) magickHeader = await scan.RunAsync(MagickPictures.Detector, () => MagickPictures.Header(scan, known));
        else scan.Add(ScanFindingCodes.DecoderFailed, MagickPictures.Detector, "The first bytes are no picture format the server decodes.");

        var tooLarge = TooLarge(scan, SkiaPictures.Detector, skiaHeader) | TooLarge(scan, MagickPictures.Detector, magickHeader);
        if (tooLarge || scan.Findings.Any(f => f.Code == ScanFindingCodes.DimensionsTooLarge)) return;

        var skia = skiaHeader is null ? null : await scan.RunAsync(SkiaPictures.Detector, () => SkiaPictures.Decode(scan));
        var magick = magickHeader is null ? null : await scan.RunAsync(MagickPictures.Detector, () => MagickPictures.Decode(scan, format!.Value, magickHeader));
        Compare(scan, skia, magick);
    }

    /// <summary>Declared dimensions beyond the limits, from a header alone.</summary>
    private static bool TooLarge(WorkerScan scan, string detector, PictureShape? shape)
    {
        if (shape is null) return false;
        var limits = scan.Settings;
        var problem =
            shape.Width > limits.MaxSide || shape.Height > limits.MaxSide ? $"a side is longer than {limits.MaxSide} pixels"
            : shape.Width * shape.Height > limits.MaxPixels ? $"more than {limits.MaxPixels} pixels"
            : shape.Frames > limits.MaxFrames ? $"more than {limits.MaxFrames} frames"
            : null;
        if (problem is null) return false;
        scan.Add(ScanFindingCodes.DimensionsTooLarge, detector, $"The header declares {shape}: {problem}; not decoded.");
        return true;
    }

    private static void Compare(WorkerScan scan, PictureShape? skia, PictureShape? magick)
    {
        var detectors = $"{SkiaPictures.Detector}+{MagickPictures.Detector}";
        if (skia is null && magick is null) return; // each failure is already a finding of its own
        if (skia is null || magick is null)
        {
            var (decodes, fails) = skia is null ? ("ImageMagick", "SkiaSharp") : ("SkiaSharp", "ImageMagick");
            scan.Add(ScanFindingCodes.DecodersDisagree, detectors, $"{decodes} decodes it ({skia ?? magick}), {fails} does not.");
        }
        else if (skia != magick)
        {
            scan.Add(ScanFindingCodes.DecodersDisagree, detectors, $"SkiaSharp decodes {skia}, ImageMagick {magick}.");
        }
    }
}
