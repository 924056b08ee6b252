using System.ComponentModel;
using System.Diagnostics;
using System.Text.Json;
using Parley.Server.Scanning;

namespace Parley.Server.Views;

/// <summary>What ffprobe said about a video: its facts, or why there are none.</summary>
public sealed record ProbeResult(long? DurationMs, long? BitRate, string? Problem, bool ProberMissing = false)
{
    public bool Playable => DurationMs is > 0 && BitRate is > 0;
}

/// <summary>
/// A video's duration and bitrate from Debian's ffprobe (<c>-show_entries format=duration,bit_rate</c>). The bytes are
/// piped in (the blob lives in chunk files, not one file), so ffprobe reads only what its demuxer needs and may stop
/// early; a container that declares no bitrate gets size × 8 / duration. Unlike the scan worker's run this needs no
/// sandbox of its own: the bytes already passed the second detection, which decoded them in one. A video the worker
/// decoded is not probed here at all: the worker's run read the same facts (<see cref="From"/>).
/// </summary>
public static class VideoProber
{
    public const string Tool = "ffprobe";
    private const string Containers = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm";

    /// <param name="tool">The ffprobe to run; tests name one that is not installed.</param>
    public static async Task<ProbeResult> ProbeAsync(Stream video, long size, CancellationToken ct, string tool = Tool)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-v", "error", "-hide_banner", "-protocol_whitelist", "pipe", "-format_whitelist", Containers,
                     "-show_entries", "format=duration,bit_rate", "-of", "json", "-i", "pipe:0"])
            start.ArgumentList.Add(argument);
        Process? process;
        try
        {
            process = Process.Start(start);
        }
        catch (Win32Exception e)
        {
            return new ProbeResult(null, null, $"{tool} is not installed on this server ({e.Message}); install Debian's ffmpeg package.", ProberMissing: true);
        }
        using (process)
        {
            if (process is null) return new ProbeResult(null, null, $"{tool} did not start.", ProberMissing: true);
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var errors = process.StandardError.ReadToEndAsync(ct);
            await Feed(video, process.StandardInput.BaseStream, ct);
            await process.WaitForExitAsync(ct);
            return Read(await output, (await errors).Trim(), process.ExitCode, size);
        }
    }

    /// <summary>Writes the video to ffprobe until it has all of it or stops reading (it has what it needs).</summary>
    private static async Task Feed(Stream video, Stream input, CancellationToken ct)
    {
        try
        {
            await video.CopyToAsync(input, ct);
        }
        catch (IOException)
        {
            // ffprobe closed its input: it read the headers it needed and exited.
        }
        finally
        {
            try
            {
                await input.DisposeAsync();
            }
            catch (IOException)
            {
            }
        }
    }

    internal static ProbeResult Read(string output, string errors, int exit, long size)
    {
        if (exit != 0) return new ProbeResult(null, null, $"{Tool} cannot read it: {(errors.Length > 0 ? errors.Split('\n')[0] : $"exit code {exit}")}");
        using var json = JsonDocument.Parse(output.Length == 0 ? "{}" : output);
        return ContainerFacts.FromProbe(json.RootElement) is { } container ? From(container, size) : new ProbeResult(null, null, $"{Tool} found no container format.");
    }

    /// <summary>The facts of a container FFmpeg read (here, or in the scan worker), in the units plays are checked in.</summary>
    public static ProbeResult From(ContainerFacts container, long size)
    {
        long? duration = container.DurationSeconds is { } seconds && seconds > 0 ? (long)Math.Round(seconds * 1000) : null;
        long? bitRate = container.BitRate is { } rate && rate > 0 ? rate : null;
        if (duration is null) return new ProbeResult(null, null, $"{Tool} found no duration.");
        bitRate ??= size > 0 ? size * 8 * 1000 / duration : null;
        return new ProbeResult(duration, bitRate, bitRate is null ? $"{Tool} found no bitrate." : null);
    }
}
