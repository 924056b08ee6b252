using System.Diagnostics;
using System.Text;
using ImageMagick;
using ImageMagick.Formats;
using Parley.Server.Scanning;
using SkiaSharp;

namespace Parley.Bench.Scanning;

/// <summary>
/// Where a file's time goes: the supervisor's wall time per file against the worker's own detector timings (the
/// difference is the pipe, the file handoff into the worker's memfd and the JSON lines), then the decoder
/// libraries' steps in this process (codec set-up, full and scaled decodes) and the FFmpeg tools' start-up.
/// </summary>
internal static class Profile
{
    private const int Rounds = 5;

    public static async Task<string> WorkerAsync(ScanWorkerPool pool, List<CorpusFile> corpus)
    {
        var kinds = new SortedDictionary<string, (int Files, double Wall, Dictionary<string, double> Detectors)>(StringComparer.Ordinal);
        foreach (var file in corpus)
        {
            var clock = Stopwatch.StartNew();
            var result = await pool.ScanAsync(file.Path, file.MediaType, Path.GetFileName(file.Path), attachment: null, CancellationToken.None);
            var wall = clock.Elapsed.TotalMilliseconds;
            var (files, total, detectors) = kinds.GetValueOrDefault(file.MediaType, (0, 0, new Dictionary<string, double>()));
            foreach (var timing in result.Timings) detectors[timing.Detector] = detectors.GetValueOrDefault(timing.Detector) + timing.Milliseconds;
            kinds[file.MediaType] = (files + 1, total + wall, detectors);
        }
        var names = kinds.Values.SelectMany(k => k.Detectors.Keys).Distinct().Order().ToList();
        var text = new StringBuilder()
            .AppendLine($"| type | files | per file, supervisor's wall time | {string.Join(" | ", names)} | outside the decoders (pipe, memfd, JSON) |")
            .AppendLine($"|---|---|---|{string.Concat(names.Select(_ => "---|"))}---|");
        foreach (var (type, (files, wall, detectors)) in kinds)
        {
            var inside = detectors.Values.Sum();
            text.AppendLine($"| {type} | {files} | {wall / files:0.0} ms | {string.Join(" | ", names.Select(n => detectors.TryGetValue(n, out var ms) ? $"{ms / files:0.0} ms" : "—"))} | {(wall - inside) / files:0.0} ms |");
        }
        return text.ToString();
    }

    /// <summary>Each library step on one picture of each format (the largest), in this process, best of <see cref="Rounds"/>.</summary>
    public static string Decoders(List<CorpusFile> corpus)
    {
        var text = new StringBuilder()
            .AppendLine("| picture | SKCodec set-up | Skia full decode | Skia 1/8 decode | Magick ping | Magick full read | Magick `jpeg:size` read |")
            .AppendLine("|---|---|---|---|---|---|---|");
        foreach (var file in corpus.Where(f => f.MediaType.StartsWith("image/", StringComparison.Ordinal)).GroupBy(f => f.MediaType).Select(g => g.MaxBy(f => f.Bytes)!))
        {
            var bytes = File.ReadAllBytes(file.Path);
            using var data = SKData.CreateCopy(bytes);
            using var probe = SKCodec.Create(data);
            var (width, height) = (probe.Info.Width, probe.Info.Height);
            var scaled = probe.GetScaledDimensions(1 / 8f);
            var isJpeg = file.MediaType == "image/jpeg";
            text.AppendLine($"| {file.MediaType} {width}×{height} | {Best(() => SKCodec.Create(data).Dispose())} | {Best(() => SkiaDecode(data, probe.Info.Width, probe.Info.Height))} | "
                + $"{(scaled.Width < width ? Best(() => SkiaDecode(data, scaled.Width, scaled.Height)) : "not scalable")} | "
                + $"{Best(() => MagickImageInfo.ReadCollection(bytes).ToList())} | {Best(() => new MagickImageCollection(bytes).Dispose())} | "
                + $"{(isJpeg ? Best(() => new MagickImageCollection(bytes, Scaled(width, height)).Dispose()) : "—")} |");
        }
        return text.ToString();
    }

    /// <summary>Starting each FFmpeg tool, and each way of reading one video with them.</summary>
    public static async Task<string> FfmpegAsync(CorpusFile video)
    {
        (string What, string Tool, string[] Arguments)[] runs =
        [
            ("`ffprobe -version` (process start, libraries loaded)", "ffprobe", ["-version"]),
            ("`ffprobe -show_streams` (the former header step)", "ffprobe", ["-v", "error", "-show_streams", "-of", "json", video.Path]),
            ("`ffmpeg -f null -` (the former decode step)", "ffmpeg", ["-v", "error", "-nostdin", "-i", video.Path, "-f", "null", "-"]),
            ("`ffprobe -count_frames -show_streams -show_format` (both in one run)", "ffprobe", ["-v", "error", "-count_frames", "-show_streams", "-show_format", "-of", "json", video.Path]),
        ];
        var text = new StringBuilder().AppendLine("| FFmpeg step | best of 5 |").AppendLine("|---|---|");
        foreach (var (what, tool, arguments) in runs)
        {
            var best = double.MaxValue;
            for (var i = 0; i < Rounds; i++)
            {
                var clock = Stopwatch.StartNew();
                var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                foreach (var argument in arguments) start.ArgumentList.Add(argument);
                using var process = Process.Start(start)!;
                await Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync(), process.WaitForExitAsync());
                best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
            }
            text.AppendLine($"| {what} | {best:0} ms |");
        }
        return text.ToString();
    }

    private static void SkiaDecode(SKData data, int width, int height)
    {
        using var codec = SKCodec.Create(data);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        codec.GetPixels(bitmap.Info, bitmap.GetPixels());
    }

    private static MagickReadSettings Scaled(int width, int height)
    {
        var settings = new MagickReadSettings { Format = MagickFormat.Jpeg };
        settings.SetDefines(new JpegReadDefines { Size = new MagickGeometry((uint)Math.Max(1, width / 8), (uint)Math.Max(1, height / 8)) });
        return settings;
    }

    private static string Best(Action step)
    {
        var best = double.MaxValue;
        for (var i = 0; i < Rounds; i++)
        {
            var clock = Stopwatch.StartNew();
            step();
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds);
        }
        return $"{best:0.0} ms";
    }
}
