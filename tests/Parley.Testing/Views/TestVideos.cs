using System.Diagnostics;

namespace Parley.Testing.Views;

/// <summary>
/// Real videos made by Debian's <c>ffmpeg</c> (scripts/install-test-deps installs it): a test pattern of a few seconds
/// at a known bitrate, MP4 (H.264) or WebM (VP8, which every Chromium build plays). Each distinct video is made once
/// per test process and cached, since encoding costs about a second.
/// </summary>
public static class TestVideos
{
    private static readonly Dictionary<(VideoFormat, int, int, int), Task<byte[]>> Made = [];

    /// <summary>The bytes of a video of <paramref name="seconds"/> at about <paramref name="kilobitsPerSecond"/>; <paramref name="variant"/> changes the picture, so the content id differs.</summary>
    public static Task<byte[]> MakeAsync(VideoFormat format = VideoFormat.Mp4, int seconds = 3, int kilobitsPerSecond = 200, int variant = 0)
    {
        lock (Made)
        {
            var key = (format, seconds, kilobitsPerSecond, variant);
            if (!Made.TryGetValue(key, out var video)) Made[key] = video = EncodeAsync(format, seconds, kilobitsPerSecond, variant);
            return video;
        }
    }

    public static string MediaType(VideoFormat format) => format == VideoFormat.Mp4 ? "video/mp4" : "video/webm";

    public static string Extension(VideoFormat format) => format == VideoFormat.Mp4 ? ".mp4" : ".webm";

    private static async Task<byte[]> EncodeAsync(VideoFormat format, int seconds, int kilobitsPerSecond, int variant)
    {
        var path = Path.Combine(Path.GetTempPath(), $"parley-video-{Guid.NewGuid():N}{Extension(format)}");
        var codec = format == VideoFormat.Mp4 ? "-c:v libx264 -pix_fmt yuv420p -movflags +faststart" : "-c:v libvpx -deadline realtime";
        var source = variant % 2 == 0 ? "testsrc" : "testsrc2";
        var arguments = $"-v error -y -f lavfi -i {source}=size=320x240:rate=25:duration={seconds} -vf hue=h={variant * 37 % 360} "
            + $"{codec} -b:v {kilobitsPerSecond}k -minrate {kilobitsPerSecond}k -maxrate {kilobitsPerSecond}k -bufsize {kilobitsPerSecond}k -an \"{path}\"";
        try
        {
            using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", arguments) { RedirectStandardError = true, RedirectStandardOutput = true })
                ?? throw new InvalidOperationException("ffmpeg did not start.");
            var errors = ffmpeg.StandardError.ReadToEndAsync();
            await ffmpeg.WaitForExitAsync();
            if (ffmpeg.ExitCode != 0) throw new InvalidOperationException($"ffmpeg {arguments} failed: {await errors}");
            return await File.ReadAllBytesAsync(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

public enum VideoFormat { Mp4, WebM }
