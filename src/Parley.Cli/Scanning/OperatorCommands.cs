using System.CommandLine;
using System.Globalization;
using Parley.Cli.Output;
using Parley.Cli.Session;
using Parley.Core.Scanning;
using Spectre.Console;

namespace Parley.Cli.Scanning;

/// <summary>
/// <c>verdicts [--mine] [--content ID]</c>, <c>quarantines</c>, <c>release CONTENT_ID</c>: the server's second-detection
/// verdicts and retroactive quarantines (docs/scanning.md, "Operators and quarantine"). All but <c>verdicts --mine</c>
/// are for operators; the server refuses anyone else (<c>scan.operator_only</c>).
/// </summary>
public static class OperatorCommands
{
    public static IEnumerable<Command> Create() => [Verdicts(), Quarantines(), Release()];

    private static Command Verdicts()
    {
        var mine = new Option<bool>("--mine") { Description = "Your own verdicts (anyone may ask for these)." };
        var content = new Option<string?>("--content") { Description = "Only the verdicts on this content id (sha256:…); operators." };
        var limit = new Option<int?>("--limit") { Description = "How many, newest first: 1-500 (default 50)." };
        var command = new Command("verdicts", "List what the server's second detection decided on shared media, newest first (with --json: one per line). " +
            "Operators see everyone's; --mine shows your own.") { mine, content, limit };
        command.Validators.Add(result =>
        {
            if (result.GetValue(mine) && result.GetValue(content) is not null)
                result.AddError("--mine lists your own verdicts and --content searches everyone's (operators): give one of them.");
        });
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var verdicts = parse.GetValue(mine)
                ? await client.GetMyScanVerdictsAsync(parse.GetValue(limit), ct)
                : await client.GetScanVerdictsAsync(parse.GetValue(content), parse.GetValue(limit), ct);
            if (verdicts.Count == 0 && !cli.Output.Json) Console.WriteLine("No verdicts.");
            foreach (var verdict in verdicts) cli.Output.Result(verdict, WriteVerdict);
        });
    }

    private static Command Quarantines()
    {
        var command = new Command("quarantines", "Operators: list quarantined media, newest first, with the rooms it reached (with --json: one per line).");
        return command.WithClientAction(async (cli, _, ct) =>
        {
            using var client = cli.SignedInClient();
            var quarantines = await client.GetQuarantinesAsync(ct);
            if (quarantines.Count == 0 && !cli.Output.Json) Console.WriteLine("Nothing is quarantined.");
            foreach (var quarantine in quarantines) cli.Output.Result(quarantine, WriteQuarantine);
        });
    }

    private static Command Release()
    {
        var content = new Argument<string>("content-id") { Description = "The quarantined media's content id (sha256:…), as 'parley quarantines' lists it." };
        var command = new Command("release", "Operators: serve quarantined media again; its rooms are told.") { content };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            var contentId = parse.GetValue(content)!;
            using var client = cli.SignedInClient();
            await client.ReleaseQuarantineAsync(contentId, ct);
            cli.Output.Result(new Released(contentId), r => Console.WriteLine($"Released {r.ContentId}: it is served again."));
        });
    }

    private static void WriteVerdict(ScanVerdictDto v)
    {
        var outcome = v.Passed ? "[green]passed[/]" : "[red]blocked[/]";
        AnsiConsole.MarkupLine($"{Time(v.At)}  {v.Id}  {outcome}  [bold]{HumanText.Escape(v.UserName)}[/]  {HumanText.Escape(v.FileName ?? v.ContentId)} " +
            $"({HumanText.Escape(v.MediaType)}), library version {v.LibraryVersion}");
        WriteFindings(v.Findings);
    }

    private static void WriteQuarantine(QuarantineDto q)
    {
        var rooms = q.RoomIds.Count == 0 ? "no room" : string.Join(", ", q.RoomIds);
        AnsiConsole.MarkupLine($"{Time(q.At)}  [bold]{q.ContentId}[/]  library version {q.LibraryVersion}, in {HumanText.Escape(rooms)}");
        WriteFindings(q.Reasons);
    }

    private static void WriteFindings(IReadOnlyList<ScanFinding> findings)
    {
        foreach (var finding in findings)
            AnsiConsole.MarkupLine($"  - {HumanText.Escape(finding.Detail)} [grey]({HumanText.Escape(finding.Code)})[/]");
    }

    private static string Time(DateTimeOffset at) => at.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private sealed record Released(string ContentId);
}
