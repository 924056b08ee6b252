using System.Diagnostics;

namespace Parley.Bench.Broadcast;

/// <summary>Operations per second of a tight loop, run in batches until a time budget is spent.</summary>
internal static class Rate
{
    private const int Batch = 200;

    public static double PerSecond(TimeSpan budget, Action operation)
    {
        for (var i = 0; i < Batch; i++) operation(); // JIT and caches first
        long done = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < budget)
        {
            for (var i = 0; i < Batch; i++) operation();
            done += Batch;
        }
        return done / watch.Elapsed.TotalSeconds;
    }
}
