using System.Diagnostics;

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
}
