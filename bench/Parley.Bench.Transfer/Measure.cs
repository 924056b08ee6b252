using System.Diagnostics;
using System.Security.Cryptography;

namespace Parley.Bench.Transfer;

/// <summary>Wall-clock timings of interleaved rounds: the best is the figure (a shared machine only ever adds time), the range shows the noise.</summary>
internal sealed class Samples
{
    private readonly List<TimeSpan> _times = [];

    public TimeSpan Best => _times.Min();
    public TimeSpan Worst => _times.Max();

    public void Add(TimeSpan time) => _times.Add(time);

    public async Task Time(Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        await action();
        Add(watch.Elapsed);
    }

    public string Range => $"{Best.TotalSeconds:0.00}–{Worst.TotalSeconds:0.00} s";
}

internal static class Measure
{
    public static double MegabytesPerSecond(long bytes, TimeSpan time) => bytes / 1e6 / time.TotalSeconds;

    /// <summary>
    /// The SHA-256 baseline: 1 MiB reads into one <see cref="IncrementalHash"/>, as fast as .NET hashes a file on one
    /// core (<c>SHA256.HashDataAsync</c> over a default <c>FileStream</c> reads 4 KiB at a time and is much slower, which
    /// would flatter every ratio against it).
    /// </summary>
    public static byte[] Sha256File(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1024 * 1024];
        int read;
        while ((read = file.Read(buffer)) > 0) hash.AppendData(buffer, 0, read);
        return hash.GetHashAndReset();
    }
}
