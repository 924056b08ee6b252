using System.Globalization;
using Parley.Cli.Output;
using Parley.Cli.Transfer;
using Parley.Core.Views;
using Spectre.Console;

namespace Parley.Cli.Views;

/// <summary><c>parley views --records</c> with <c>--json</c>: the count and every record, in one object.</summary>
internal sealed record ViewsWithRecords(string Media, string ContentId, long Views, long OpenPlays, IReadOnlyList<PlayRecordDto> Records);

/// <summary>How verdicts, counts and records of views read in a terminal: each reason in words, with its code.</summary>
internal static class ViewText
{
    /// <summary>The signed-in account has no device key on this install, and a play must be signed by one.</summary>
    public const string NoDevice = "client.no_device";

    private static readonly Dictionary<string, string> Words = new()
    {
        [ViewReasons.Undecryptable] = "a sealed report did not open with the play's key",
        [ViewReasons.CounterReplayed] = "a report was replayed or reordered",
        [ViewReasons.ReportEarly] = "a report came sooner than the server asked for",
        [ViewReasons.TrafficOutOfRange] = "the traffic does not fit the video's bitrate and the time watched",
        [ViewReasons.PositionTooFast] = "the position moved faster than playback",
        [ViewReasons.TrafficMismatch] = "the reported traffic exceeds what the server streamed",
        [ViewReasons.DownloadShared] = "the traffic was streamed to another play of the same user",
        [ViewReasons.ReportsDisagree] = "plain and sealed reports disagree",
        [ViewReasons.KeyReused] = "the play's key was used by another play",
        [ViewReasons.SealedMissing] = "no sealed report came",
        [ViewReasons.PlainMissing] = "no plain report came although one was due",
        [ViewReasons.Ended] = "ended by the player",
        [ViewReasons.Expired] = "reports stopped, so the server closed the play",
    };

    public static void WriteVerdict(PlayRecordDto record)
    {
        var verdict = record.Verdict == PlayVerdicts.Legal ? "[green]legal[/]" : $"[red]{HumanText.Escape(record.Verdict)}[/]";
        var counted = record.Counted ? "counted as a view" : "not counted";
        AnsiConsole.MarkupLine($"{verdict}: {counted}; watched {Percent(record.WatchedShare)}, {ByteSizes.Format(record.BytesServed)} streamed, "
            + $"{record.SealedReports} sealed and {record.PlainReports} plain reports (play {HumanText.Escape(record.PlayId)}).");
        foreach (var reason in record.Reasons) AnsiConsole.MarkupLine($"  - {Reason(reason)}");
    }

    public static void WriteCount(ViewCountDto count)
    {
        var open = count.OpenPlays > 0 ? $" [grey]({count.OpenPlays} playing now)[/]" : "";
        AnsiConsole.MarkupLine($"{count.Views.ToString(CultureInfo.InvariantCulture)} {(count.Views == 1 ? "view" : "views")}{open}");
    }

    public static void WriteRecords(ViewsWithRecords views)
    {
        WriteCount(new ViewCountDto(views.Media, views.ContentId, views.Views, views.OpenPlays));
        foreach (var record in views.Records)
        {
            var reasons = record.Reasons.Count == 0 ? "" : ": " + string.Join("; ", record.Reasons.Select(Reason));
            AnsiConsole.MarkupLine($"  {HumanText.Escape(record.PlayId)} [bold]{HumanText.Escape(record.UserName)}[/] {HumanText.Escape(record.Verdict)}"
                + $"{(record.Counted ? ", counted" : "")}, watched {Percent(record.WatchedShare)}{reasons}");
        }
    }

    /// <summary>The reason in words, with its code; a code this version does not know is shown as it is.</summary>
    private static string Reason(string code) =>
        Words.TryGetValue(code, out var words) ? $"{words} [grey]({HumanText.Escape(code)})[/]" : HumanText.Escape(code);

    private static string Percent(double share) => Math.Round(share * 100).ToString(CultureInfo.InvariantCulture) + "%";
}
