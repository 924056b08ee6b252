using System.CommandLine;
using Parley.Cli.Scanning;
using Parley.Cli.Session;
using Parley.Cli.Transfer;
using Spectre.Console;

namespace Parley.Cli.Commands;

/// <summary><c>features</c>: sync this install's copy of the server's feature library; <c>features import FILE</c> (operators).</summary>
public static class FeaturesCommand
{
    public static Command Create()
    {
        var command = new Command("features",
            "Bring this install's copy of the server's feature library (what 'scan' and 'send' check files against) up to date " +
            "and print its version and number of features.") { Import() };
        return command.WithClientAction(async (cli, _, ct) =>
        {
            var library = await LocalScanning.SyncAsync(cli, ct);
            var summary = new LibrarySummary(library.Version, library.Features.Count);
            cli.Output.Result(summary, s => AnsiConsole.MarkupLine($"Feature library version {s.Version}: {s.Features} features."));
        });
    }

    private static Command Import()
    {
        var file = new Argument<string>("file") { Description = "A ClamAV .hsb, .hdb or .ndb file, or a Parley feature file." };
        var command = new Command("import", "Operators: publish the features of a file as the library's next version.") { file };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var text = await TransferErrors.TranslateAsync(() => File.ReadAllTextAsync(path, ct));
            using var client = cli.SignedInClient();
            var result = await client.ImportFeaturesAsync(Path.GetFileName(path), text, ct);
            cli.Output.Result(result, r =>
            {
                AnsiConsole.MarkupLine($"Added {r.Added} features; the library is at version {r.Version}.");
                foreach (var skipped in r.Skipped)
                    AnsiConsole.MarkupLine($"  - line {skipped.Line} skipped: {Output.HumanText.Escape(skipped.Reason)}");
            });
        });
    }

    private sealed record LibrarySummary(long Version, int Features);
}
