using System.Globalization;
using System.Text.Json;

namespace Parley.Server.Scanning;

/// <summary>
/// What FFmpeg read from a video or audio container: the duration and bitrate it declares (null where it declares
/// none). The scan worker hands them on for a file that passed its decode, and the share path keeps them for view
/// counting (<see cref="Views.VideoFactsStore"/>), so a stored video is not probed a second time.
/// </summary>
public sealed record ContainerFacts(double? DurationSeconds, long? BitRate)
{
    /// <summary>The <c>format</c> section of ffprobe's JSON (<c>-show_entries format=duration,bit_rate -of json</c>); null without one.</summary>
    public static ContainerFacts? FromProbe(JsonElement root) =>
        root.TryGetProperty("format", out var format)
            ? new ContainerFacts(Number(format, "duration"), Number(format, "bit_rate") is { } rate ? (long)rate : null)
            : null;

    private static double? Number(JsonElement section, string name) =>
        section.TryGetProperty(name, out var value) && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : null;
}
