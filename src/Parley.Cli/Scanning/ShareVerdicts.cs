using Parley.Cli.Output;
using Parley.Cli.Session;
using Parley.Cli.State;
using Parley.Client;
using Parley.Client.Scanning;
using Parley.Core.Scanning;
using Spectre.Console;

namespace Parley.Cli.Scanning;

/// <summary>
/// How the CLI's shares meet the first detection: this account's device key and library copy on the client, and a
/// refusal printed as a verdict (docs/scanning.md, "The client side"): <c>blocked (local scan|server scan): FILE</c> then
/// one line per finding, or with <c>--json</c> <c>{"verdict":"blocked","stage":…,"findings":[…],"verdictId":…}</c>.
/// </summary>
internal static class ShareVerdicts
{
    /// <summary>The exit code of a share a detection refused (1 stays "the command failed"), as for <c>parley scan</c>.</summary>
    public const int Blocked = 2;

    /// <summary>
    /// Makes every share of <paramref name="client"/> go through the first detection with this account's device key and
    /// library copy, remembering shares in the account folder. Returns the key, which the caller disposes after the
    /// shares; null (and no scanning) when this install holds no registered device key for the account.
    /// </summary>
    public static DeviceKey? UseScanning(this ParleyClient client, CliContext cli)
    {
        var account = cli.CurrentAccount();
        // A key whose registration never completed is no device the server knows: its identifiers would be refused.
        if (account.ReadDeviceId() is null || account.ReadKey() is not { } key) return null;
        client.Scanning = Scanning(cli, account, key);
        return key;
    }

    public static ShareScanning Scanning(CliContext cli, AccountFolder account, DeviceKey key) =>
        new(key, new LocalFeatureStore(cli.Home.FeatureLibraryPath(cli.Server))) { RecentShares = new FileRecentShareStore(account.RecentSharesPath) };

    public static void Print(CliOutput output, ShareBlockedException blocked) =>
        output.Result(new BlockedVerdict("blocked", Stage(blocked.Stage), blocked.FileName, blocked.Findings, blocked.VerdictId), verdict =>
        {
            AnsiConsole.MarkupLine($"[red]blocked ({verdict.Stage} scan)[/]: {HumanText.Escape(verdict.File)}");
            if (verdict.Findings.Count == 0) AnsiConsole.MarkupLine($"  {HumanText.Escape(blocked.Message)}");
            foreach (var finding in verdict.Findings)
                AnsiConsole.MarkupLine($"  {HumanText.Escape(finding.Code)} — {HumanText.Escape(finding.Detail)}");
        });

    public static string Stage(ScanStage stage) => stage == ScanStage.Local ? "local" : "server";

    private sealed record BlockedVerdict(string Verdict, string Stage, string File, IReadOnlyList<ScanFinding> Findings, string? VerdictId);
}
