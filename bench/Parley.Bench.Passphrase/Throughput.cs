using System.Diagnostics;

namespace Parley.Bench.Passphrase;

/// <summary>Operations completed in a bounded run, and how long each took.</summary>
internal sealed record Throughput(int Operations, TimeSpan Elapsed, IReadOnlyList<TimeSpan> Latencies)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    public TimeSpan Mean => TimeSpan.FromTicks((long)Latencies.Average(l => l.Ticks));

    public TimeSpan Percentile(double fraction)
    {
        var sorted = Latencies.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(fraction * sorted.Count))];
    }

    /// <summary>
    /// Runs <paramref name="operation"/> in <paramref name="workers"/> loops side by side until
    /// <paramref name="budget"/> has passed (each loop finishes the operation it is in), after one
    /// untimed warm-up round per worker. <paramref name="operation"/> gets the worker's number.
    /// </summary>
    public static async Task<Throughput> MeasureAsync(TimeSpan budget, int workers, Func<int, Task> operation)
    {
        await Task.WhenAll(Enumerable.Range(0, workers).Select(operation));
        var latencies = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            while (clock.Elapsed < budget)
            {
                var started = clock.Elapsed;
                await operation(worker);
                lock (latencies) latencies.Add(clock.Elapsed - started);
            }
        })));
        return new Throughput(latencies.Count, clock.Elapsed, latencies);
    }

    /// <summary>A synchronous operation in one loop, for in-process baselines.</summary>
    public static Throughput Measure(TimeSpan budget, Action operation)
    {
        operation();
        var latencies = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < budget)
        {
            var started = clock.Elapsed;
            operation();
            latencies.Add(clock.Elapsed - started);
        }
        return new Throughput(latencies.Count, clock.Elapsed, latencies);
    }
}
