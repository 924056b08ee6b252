using System.Diagnostics;

namespace Parley.Bench.Transfer;

/// <summary>Wall-clock timing helpers: best of a few runs, since a shared machine only ever adds time.</summary>
internal static class Measure
{
    public static async Task<TimeSpan> Best(int runs, Func<Task> action)
    {
        var best = TimeSpan.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            if (watch.Elapsed < best) best = watch.Elapsed;
        }
        return best;
    }

    public static async Task<TimeSpan> Once(Func<Task> action) => await Best(1, action);

    /// <summary>Runs a program to completion and fails loudly if it fails: a baseline that did not run is no baseline.</summary>
    public static async Task Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
        await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {error}");
    }

    public static double MegabytesPerSecond(long bytes, TimeSpan time) => bytes / 1e6 / time.TotalSeconds;
}
