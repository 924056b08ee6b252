using Parley.Cli.Output;
using Parley.Client.Views;
using Spectre.Console;

namespace Parley.Cli.Views;

/// <summary>A watch's progress line on a terminal (position, received bytes, reports sent); nothing when piped or with <c>--json</c>.</summary>
internal static class WatchDisplay
{
    public static Task<T> RunAsync<T>(CliOutput output, Func<IProgress<WatchProgress>?, Task<T>> watch)
    {
        if (output.Json || !AnsiConsole.Profile.Capabilities.Interactive) return watch(null);
        return AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(context => watch(new Line(context.AddTask("Watching"))));
    }

    private sealed class Line(ProgressTask bar) : IProgress<WatchProgress>
    {
        public void Report(WatchProgress progress)
        {
            bar.MaxValue = Math.Max(1, progress.DurationMs);
            bar.Value = progress.PositionMs;
            bar.Description = $"{Clock(progress.PositionMs)} / {Clock(progress.DurationMs)}, "
                + $"{Transfer.ByteSizes.Format(progress.BytesReceived)} received, {progress.SealedReports} sealed + {progress.PlainReports} plain reports";
        }

        private static string Clock(long ms) => TimeSpan.FromMilliseconds(ms).ToString(@"m\:ss");
    }
}
