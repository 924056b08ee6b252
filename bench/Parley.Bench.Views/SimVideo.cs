using Parley.Core.Views;

namespace Parley.Bench.Views;

/// <summary>
/// A video as bytes over time: a header (the MP4 index or WebM head), then one segment per second whose sizes vary
/// around the average bitrate (log-normal, σ 0.4: scenes differ), so some parts weigh less than the average.
/// </summary>
public sealed class SimVideo
{
    private readonly long[] _offsets;   // _offsets[i]: first byte of second i; _offsets[^1] = Size

    private SimVideo(long header, long[] segments, long durationMs)
    {
        _offsets = new long[segments.Length + 1];
        _offsets[0] = header;
        for (var i = 0; i < segments.Length; i++) _offsets[i + 1] = _offsets[i] + segments[i];
        DurationMs = durationMs;
        Facts = new VideoFacts(Size, durationMs, Size * 8000 / durationMs);
    }

    public long DurationMs { get; }

    public long Size => _offsets[^1];

    public long HeaderBytes => _offsets[0];

    /// <summary>What the server's ffprobe sees: size, duration, average bitrate of the whole file.</summary>
    public VideoFacts Facts { get; }

    /// <summary>20 s to 10 min, 300 kbit/s to 4 Mbit/s (log-uniform): phone clips to lectures.</summary>
    public static SimVideo Random(Random random)
    {
        var seconds = (int)random.LogUniform(20, 600);
        var bytesPerSecond = random.LogUniform(300_000, 4_000_000) / 8;
        var segments = new long[seconds];
        for (var i = 0; i < seconds; i++) segments[i] = (long)(bytesPerSecond * random.LogNormal(0.4));
        return new SimVideo(20_000 + (long)(bytesPerSecond * seconds * 0.005), segments, seconds * 1000L);
    }

    /// <summary>The byte offset where playback at <paramref name="positionMs"/> needs data up to.</summary>
    public long ByteAt(double positionMs)
    {
        var second = positionMs / 1000;
        var whole = (int)second;
        if (whole >= _offsets.Length - 1) return Size;
        if (whole < 0) return _offsets[0];
        return _offsets[whole] + (long)((_offsets[whole + 1] - _offsets[whole]) * (second - whole));
    }
}

/// <summary>Draws from the distributions the populations use.</summary>
public static class RandomDraws
{
    public static double Uniform(this Random random, double min, double max) => min + random.NextDouble() * (max - min);

    public static double LogUniform(this Random random, double min, double max) => Math.Exp(random.Uniform(Math.Log(min), Math.Log(max)));

    /// <summary>Log-normal with mean 1.</summary>
    public static double LogNormal(this Random random, double sigma) => Math.Exp(sigma * random.Normal() - sigma * sigma / 2);

    public static double Normal(this Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    public static double Exponential(this Random random, double mean) => -mean * Math.Log(1 - random.NextDouble());

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;
}
