using Parley.Cli.Output;
using Parley.Cli.Session;
using Parley.Cli.Transfer;
using Parley.Client.Scanning;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Core.Scanning.Structure;
using Spectre.Console;

namespace Parley.Cli.Scanning;

/// <summary>Runs the <see cref="LocalScanner"/> with this install's copy of the server's feature library, and prints the verdict.</summary>
internal static class LocalScanning
{
    /// <returns>Whether the file passed.</returns>
    public static async Task<bool> ScanAsync(CliContext cli, string path, string? mediaType, CancellationToken ct)
    {
        // The copy 'parley features' (and, later, the live updates) keep in sync: scanning needs no server.
        var scanner = new LocalScanner(await WithStore(cli, store => Task.FromResult(store.Load())));
        var result = await TransferErrors.TranslateAsync(() => scanner.ScanFileAsync(path, mediaType, ct));
        string? identifier = null;
        if (result.Passed && cli.SignedInAccountOrNull()?.ReadKey() is { } key)
            using (key) identifier = scanner.Sign(result, key).Encode();
        var verdict = new ScanVerdict(result.FileName, result.ContentId.ToString(), result.Size, result.Format,
            MediaFormats.MediaTypeOf(result.Format), result.LibraryVersion, result.Passed, result.Findings, identifier);
        cli.Output.Result(verdict, Print);
        return result.Passed;
    }

    /// <summary>Brings this install's copy of the server's library up to date (docs/scanning.md) and returns it.</summary>
    public static async Task<FeatureLibrary> SyncAsync(CliContext cli, CancellationToken ct)
    {
        using var client = cli.SignedInClient();
        return await WithStore(cli, store => store.SyncAsync(client, ct));
    }

    private static async Task<FeatureLibrary> WithStore(CliContext cli, Func<LocalFeatureStore, Task<FeatureLibrary>> use)
    {
        var store = new LocalFeatureStore(cli.Home.FeatureLibraryPath(cli.Server));
        try
        {
            return await use(store);
        }
        catch (FeatureFormatException e)
        {
            throw new CliException(CliCodes.CorruptState, $"{store.Path} is damaged ({e.Message}); delete it to fetch the library again.");
        }
    }

    private static void Print(ScanVerdict verdict)
    {
        var what = $"[bold]{HumanText.Escape(verdict.File)}[/] ({MediaFormats.Describe(verdict.Format)}, {ByteSizes.Format(verdict.Size)})";
        if (verdict.Passed)
        {
            AnsiConsole.MarkupLine($"[green]Passed[/]: {what}, feature library version {verdict.LibraryVersion}.");
            if (verdict.Identifier is not null) AnsiConsole.MarkupLine($"Local security identifier: {verdict.Identifier}");
            return;
        }
        AnsiConsole.MarkupLine($"[red]Refused[/]: {what}, feature library version {verdict.LibraryVersion}; it would not be sent:");
        foreach (var finding in verdict.Findings)
            AnsiConsole.MarkupLine($"  - {HumanText.Escape(finding.Detail)} [grey]({HumanText.Escape(finding.Code)})[/]");
    }

    private sealed record ScanVerdict(
        string File, string ContentId, long Size, MediaFormat Format, string? MediaType, long LibraryVersion,
        bool Passed, IReadOnlyList<ScanFinding> Findings, string? Identifier);
}
