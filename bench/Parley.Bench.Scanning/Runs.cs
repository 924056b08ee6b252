using System.Collections.Concurrent;
using System.Diagnostics;

namespace Parley.Bench.Scanning;

/// <summary>One way of scanning the corpus: how long it took, per-file latency percentiles, and how many files it flagged.</summary>
internal sealed record RunResult(int Files, TimeSpan Total, TimeSpan? P50, TimeSpan? P99, int Flagged);

internal static class Runs
{
    /// <summary>Every file through <paramref name="scan"/>, <paramref name="concurrency"/> at a time, each timed.</summary>
    public static async Task<RunResult> Once(List<CorpusFile> files, int concurrency, Func<CorpusFile, Task<bool>> scan)
    {
        var latencies = new ConcurrentBag<TimeSpan>();
        var flagged = 0;
        var total = Stopwatch.StartNew();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (file, _) =>
        {
            var one = Stopwatch.StartNew();
            if (await scan(file)) Interlocked.Increment(ref flagged);
            latencies.Add(one.Elapsed);
        });
        var sorted = latencies.Order().ToList();
        return new RunResult(files.Count, total.Elapsed, Percentile(sorted, 0.50), Percentile(sorted, 0.99), flagged);
    }

    /// <summary>One <c>clamscan</c> over the whole corpus: loads the database once, no per-file figure.</summary>
    public static async Task<RunResult> Batch(List<CorpusFile> files, string database)
    {
        var total = Stopwatch.StartNew();
        var (_, found) = await Clamscan(database, files.Select(f => f.Path));
        return new RunResult(files.Count, total.Elapsed, null, null, found);
    }

    public static async Task<bool> ClamscanOne(CorpusFile file, string database) => (await Clamscan(database, [file.Path])).Found > 0;

    private static async Task<(int Exit, int Found)> Clamscan(string database, IEnumerable<string> paths)
    {
        var start = new ProcessStartInfo("clamscan") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["--no-summary", "-d", database, .. paths]) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        // 0: nothing found, 1: something found, anything else: it did not scan.
        if (process.ExitCode > 1) throw new InvalidOperationException($"clamscan failed ({process.ExitCode}): {await errors}");
        return (process.ExitCode, (await output).Split('\n').Count(l => l.EndsWith(" FOUND", StringComparison.Ordinal)));
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
}
