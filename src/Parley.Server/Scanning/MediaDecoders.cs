using System.Diagnostics;
using System.Text.Json;
using Parley.Core.Scanning;

namespace Parley.Server.Scanning;

/// <summary>
/// Video and audio through Debian's FFmpeg, in one <c>ffprobe</c> run as the worker's own child (so it shares its
/// network namespace and inherits its rlimits): the demuxer reads the container's headers (streams, dimensions,
/// declared frame counts), and <c>-count_frames</c> has FFmpeg's decoders decode every frame of every stream and
/// count them. Starting an FFmpeg tool costs more here than decoding a short clip (it loads ~200 libraries), so
/// the header and the decode share one start instead of an <c>ffprobe</c> and an <c>ffmpeg</c>.
/// A frame larger than the pixel limit is refused by the decoder before it allocates it (<c>-max_pixels</c>), and
/// the header's dimensions are checked against the limits before the result counts. Errors while decoding are
/// malformed or truncated structure; a decode that yields other video frames than the header declares is a
/// disagreement. It may only read the one file (<c>-protocol_whitelist file</c>) as one of the containers the
/// clients play. The same run reads the container's duration and bitrate, which a clean file hands on
/// (<see cref="WorkerScan.Container"/>) so that view counting need not start FFmpeg again for it.
/// </summary>
internal static class MediaDecoders
{
    public const string Probe = "ffprobe";
    private const string Containers = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,ogg,mp3,wav,flac,aac";
    private const int MaxErrorLines = 3;
    private const long MinAllocBytes = 64L << 20;

    private sealed record MediaStream(string CodecType, long Width, long Height, long? DeclaredFrames, long? DecodedFrames);

    private sealed record ProbeResult(List<MediaStream> Streams, ContainerFacts Container, string Errors);

    public static async Task RunAsync(WorkerScan scan)
    {
        var probe = await scan.RunAsync(Probe, () => ProbeAsync(scan));
        if (probe is null || TooLarge(scan, probe.Streams)) return;
        if (probe.Errors.Length > 0)
        {
            var truncated = new[] { "partial file", "truncat", "end of file", "premature" }.Any(m => probe.Errors.Contains(m, StringComparison.OrdinalIgnoreCase));
            scan.Add(truncated ? ScanFindingCodes.StructureTruncated : ScanFindingCodes.StructureMalformed, Probe, $"FFmpeg, decoding: {FirstLines(probe.Errors, 0)}");
            return;
        }
        var video = probe.Streams.FirstOrDefault(s => s.CodecType == "video");
        var decoded = video?.DecodedFrames ?? 0;
        if (video is { DeclaredFrames: { } declared } && Math.Abs(declared - decoded) > Math.Max(2, declared / 100))
            scan.Add(ScanFindingCodes.DecodersDisagree, Probe, $"The header declares {declared} video frames, FFmpeg's decoder decoded {decoded}.");
        else if (video is not null && decoded == 0)
            scan.Add(ScanFindingCodes.DecodersDisagree, Probe, "The container has a video stream, FFmpeg's decoder decodes no frame of it.");
        else scan.Container = probe.Container;
    }

    /// <summary>The streams the container declares with the frames decoded from each, and what FFmpeg printed as errors.</summary>
    private static async Task<ProbeResult?> ProbeAsync(WorkerScan scan)
    {
        var (exit, output, errors) = await StartAsync(scan);
        if (errors.Contains("max pixel count", StringComparison.Ordinal))
        {
            // FFmpeg's decoder refused to open a stream whose frames are larger than the limit: nothing was allocated for them.
            scan.Add(ScanFindingCodes.DimensionsTooLarge, Probe, $"A stream's frames have more than {scan.Settings.MaxPixels} pixels; not decoded.");
            return null;
        }
        // No JSON: ffprobe printed none or stopped half-way (it could not open the file).
        using var json = Parse(output);
        var streams = json is null ? null : Streams(json);
        if (streams is null || exit != 0 && streams.Count == 0)
        {
            scan.Add(ScanFindingCodes.DecoderFailed, Probe, $"ffprobe cannot read it: {FirstLines(errors, exit)}");
            return null;
        }
        if (!streams.Any(s => s.CodecType is "video" or "audio"))
        {
            scan.Add(ScanFindingCodes.StructureMalformed, Probe, "The container holds no video or audio stream.");
            return null;
        }
        return new ProbeResult(streams, ContainerFacts.FromProbe(json!.RootElement) ?? new ContainerFacts(null, null), exit != 0 && errors.Length == 0 ? $"exit code {exit}" : errors);
    }

    /// <summary>The streams of ffprobe's JSON.</summary>
    private static List<MediaStream> Streams(JsonDocument json)
    {
        if (!json.RootElement.TryGetProperty("streams", out var list)) return [];
        return [.. list.EnumerateArray().Select(s => new MediaStream(
            s.TryGetProperty("codec_type", out var type) ? type.GetString() ?? "" : "",
            s.TryGetProperty("width", out var w) ? w.GetInt64() : 0,
            s.TryGetProperty("height", out var h) ? h.GetInt64() : 0,
            Count(s, "nb_frames"),
            Count(s, "nb_read_frames")))];
    }

    private static JsonDocument? Parse(string output)
    {
        try
        {
            return output.Length == 0 ? null : JsonDocument.Parse(output);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? Count(JsonElement stream, string name) =>
        stream.TryGetProperty(name, out var n) && long.TryParse(n.GetString(), out var count) ? count : null;

    private static bool TooLarge(WorkerScan scan, List<MediaStream> streams)
    {
        var limits = scan.Settings;
        var flood = streams.FirstOrDefault(s => s.Width > limits.MaxSide || s.Height > limits.MaxSide || s.Width * s.Height > limits.MaxPixels);
        if (flood is null) return false;
        scan.Add(ScanFindingCodes.DimensionsTooLarge, Probe, $"A {flood.CodecType} stream declares {flood.Width}×{flood.Height} frames; not decoded.");
        return true;
    }

    /// <summary>Runs ffprobe on the scanned file with the worker's safety options, collecting its output.</summary>
    private static async Task<(int Exit, string Output, string Errors)> StartAsync(WorkerScan scan)
    {
        var start = new ProcessStartInfo("ffprobe")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // One allocation may hold a frame of the largest size allowed (8 bytes a pixel), and never less than FFmpeg's own
        // tables and I/O buffers need, so that a small pixel limit is enforced by -max_pixels rather than failing at start.
        var maxAlloc = Math.Max(scan.Settings.MaxPixels * 8, MinAllocBytes);
        foreach (var argument in (string[])["-v", "error", "-hide_banner", "-max_alloc", maxAlloc.ToString(),
                     "-max_pixels", scan.Settings.MaxPixels.ToString(), "-protocol_whitelist", "file", "-format_whitelist", Containers,
                     "-i", scan.Path, "-count_frames", "-show_entries", "stream=codec_type,width,height,nb_frames,nb_read_frames:format=duration,bit_rate", "-of", "json"])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffprobe did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, (await output).Trim(), (await errors).Trim());
    }

    private static string FirstLines(string errors, int exit) =>
        errors.Length == 0 ? $"exit code {exit}" : string.Join(" / ", errors.Split('\n').Take(MaxErrorLines).Select(l => l.Trim()));
}
