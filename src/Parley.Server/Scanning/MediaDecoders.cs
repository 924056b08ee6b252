using System.Diagnostics;
using System.Text.Json;
using Parley.Core.Scanning;

namespace Parley.Server.Scanning;

/// <summary>
/// Video and audio through Debian's FFmpeg, run by the worker as its own children (so they share its network
/// namespace and inherit its rlimits): <c>ffprobe</c> reads the container's headers (streams, dimensions,
/// declared frame count) and is checked against the limits before anything is decoded; <c>ffmpeg</c> then
/// decodes every stream to nothing and counts the video frames it got. Errors while decoding are malformed or
/// truncated structure; a decode that yields other frames than the header declares is a disagreement.
/// Both may only read the one file (<c>-protocol_whitelist file</c>) as one of the containers the clients play.
/// </summary>
internal static class MediaDecoders
{
    public const string Probe = "ffprobe";
    public const string Decode = "ffmpeg";
    private const string Containers = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,ogg,mp3,wav,flac,aac";
    private const int MaxErrorLines = 3;

    private sealed record MediaStream(string CodecType, long Width, long Height, long? DeclaredFrames);

    public static async Task RunAsync(WorkerScan scan)
    {
        var streams = await scan.RunAsync(Probe, () => ProbeAsync(scan));
        if (streams is null || TooLarge(scan, streams)) return;
        var decoded = await scan.RunAsync(Decode, () => DecodeAsync(scan));
        if (decoded is null) return;
        var video = streams.FirstOrDefault(s => s.CodecType == "video");
        if (video is { DeclaredFrames: { } declared } && Math.Abs(declared - decoded.Value) > Math.Max(2, declared / 100))
            scan.Add(ScanFindingCodes.DecodersDisagree, $"{Probe}+{Decode}", $"The header declares {declared} video frames, ffmpeg decoded {decoded.Value}.");
        else if (video is not null && decoded.Value == 0)
            scan.Add(ScanFindingCodes.DecodersDisagree, $"{Probe}+{Decode}", "ffprobe finds a video stream, ffmpeg decodes no frame of it.");
    }

    private static async Task<List<MediaStream>?> ProbeAsync(WorkerScan scan)
    {
        var (exit, output, errors) = await RunAsync(scan, "ffprobe", ["-show_streams", "-of", "json"]);
        if (exit != 0 || errors.Length > 0)
        {
            scan.Add(ScanFindingCodes.DecoderFailed, Probe, $"ffprobe cannot read it: {FirstLines(errors, exit)}");
            return null;
        }
        using var json = JsonDocument.Parse(output);
        var streams = json.RootElement.TryGetProperty("streams", out var list)
            ? list.EnumerateArray().Select(s => new MediaStream(
                s.TryGetProperty("codec_type", out var type) ? type.GetString() ?? "" : "",
                s.TryGetProperty("width", out var w) ? w.GetInt64() : 0,
                s.TryGetProperty("height", out var h) ? h.GetInt64() : 0,
                s.TryGetProperty("nb_frames", out var n) && long.TryParse(n.GetString(), out var frames) ? frames : null)).ToList()
            : [];
        if (!streams.Any(s => s.CodecType is "video" or "audio"))
        {
            scan.Add(ScanFindingCodes.StructureMalformed, Probe, "The container holds no video or audio stream.");
            return null;
        }
        return streams;
    }

    private static bool TooLarge(WorkerScan scan, List<MediaStream> streams)
    {
        var limits = scan.Settings;
        var flood = streams.FirstOrDefault(s => s.Width > limits.MaxSide || s.Height > limits.MaxSide || s.Width * s.Height > limits.MaxPixels);
        if (flood is null) return false;
        scan.Add(ScanFindingCodes.DimensionsTooLarge, Probe, $"A {flood.CodecType} stream declares {flood.Width}×{flood.Height} frames; not decoded.");
        return true;
    }

    /// <summary>The number of video frames ffmpeg decoded, or null when it could not decode the file cleanly.</summary>
    private static async Task<Box<long>?> DecodeAsync(WorkerScan scan)
    {
        var (exit, output, errors) = await RunAsync(scan, "ffmpeg", ["-nostdin", "-progress", "pipe:1", "-nostats", "-f", "null", "-"]);
        if (exit != 0 || errors.Length > 0)
        {
            var code = exit != 0 && errors.Length == 0 ? ScanFindingCodes.DecoderFailed
                : new[] { "partial file", "truncat", "end of file", "premature" }.Any(m => errors.Contains(m, StringComparison.OrdinalIgnoreCase))
                    ? ScanFindingCodes.StructureTruncated
                    : ScanFindingCodes.StructureMalformed;
            scan.Add(code, Decode, $"ffmpeg: {FirstLines(errors, exit)}");
            return null;
        }
        var frames = output.Split('\n').Where(l => l.StartsWith("frame=", StringComparison.Ordinal))
            .Select(l => long.TryParse(l["frame=".Length..], out var n) ? n : 0).DefaultIfEmpty(0).Last();
        return new Box<long>(frames);
    }

    /// <summary>Runs one FFmpeg tool on the scanned file with the worker's safety options, collecting its output.</summary>
    private static async Task<(int Exit, string Output, string Errors)> RunAsync(WorkerScan scan, string tool, string[] after)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-v", "error", "-hide_banner", "-max_alloc", (scan.Settings.MaxPixels * 8).ToString(),
                     "-protocol_whitelist", "file", "-format_whitelist", Containers, "-i", scan.Path])
            start.ArgumentList.Add(argument);
        foreach (var argument in after) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, (await errors).Trim());
    }

    private static string FirstLines(string errors, int exit) =>
        errors.Length == 0 ? $"exit code {exit}" : string.Join(" / ", errors.Split('\n').Take(MaxErrorLines).Select(l => l.Trim()));
}

/// <summary>A value type as a reference, for detector steps that may return nothing.</summary>
internal sealed record Box<T>(T Value) where T : struct;
