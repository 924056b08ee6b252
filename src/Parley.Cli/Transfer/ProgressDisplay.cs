using System.Diagnostics;
using Parley.Cli.Output;
using Parley.Client.Transfer;
using Spectre.Console;

namespace Parley.Cli.Transfer;

/// <summary>
/// Shows a transfer's progress the way the output is read: progress bars with rate and time left on
/// a terminal, <c>{"type":"progress",…}</c> lines for scripts (when asked for), nothing when piped.
/// </summary>
internal static class ProgressDisplay
{
    /// <param name="jsonLines">Whether <c>--json</c> output carries progress lines, or only the result.</param>
    public static Task<T> RunAsync<T>(CliOutput output, bool jsonLines, Func<IProgress<TransferProgress>?, Task<T>> transfer)
    {
        if (output.Json) return transfer(jsonLines ? new JsonLines(output) : null);
        if (!AnsiConsole.Profile.Capabilities.Interactive) return transfer(null);
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                new TransferSpeedColumn(), new RemainingTimeColumn())
            .StartAsync(context => transfer(new Bars(context)));
    }

    private sealed record ProgressLine(string Type, TransferPhase Phase, long Done, long Total);

    /// <summary>A few lines a second at most: the first of each phase, its last, and one per interval between.</summary>
    private sealed class JsonLines(CliOutput output) : IProgress<TransferProgress>
    {
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TransferProgress? _last;
        private TimeSpan _lastAt;

        public void Report(TransferProgress progress)
        {
            var samePhase = _last?.Phase == progress.Phase;
            if (samePhase && (_last == progress || progress.Done < progress.Total && _clock.Elapsed - _lastAt < Interval)) return;
            _last = progress;
            _lastAt = _clock.Elapsed;
            output.Result(new ProgressLine("progress", progress.Phase, progress.Done, progress.Total), _ => { });
        }
    }

    /// <summary>One bar per phase, each added when its phase starts.</summary>
    private sealed class Bars(ProgressContext context) : IProgress<TransferProgress>
    {
        private readonly Dictionary<TransferPhase, ProgressTask> _bars = [];

        public void Report(TransferProgress progress)
        {
            lock (_bars)
            {
                if (!_bars.TryGetValue(progress.Phase, out var bar))
                    _bars[progress.Phase] = bar = context.AddTask(progress.Phase.ToString());
                bar.MaxValue = Math.Max(1, progress.Total);
                bar.Value = progress.Done;
            }
        }
    }
}
