using System.CommandLine;
using Parley.Cli.Output;
using Parley.Cli.Session;
using Parley.Cli.Transfer;
using Spectre.Console;

namespace Parley.Cli.Commands;

/// <summary><c>fetch</c>: media sent to you, saved to a file. Sending a file is <c>send FILE</c>.</summary>
public static class TransferCommands
{
    public static IEnumerable<Command> Create() => [Fetch()];

    private static Command Fetch()
    {
        var media = new Argument<string>("media") { Description = "The id of the message that carries it (m_…), or its content id (sha256:…)." };
        var output = new Option<string>("--output", "-o") { Description = "File to save it to.", Required = true };
        var command = new Command("fetch",
            "Download media sent to you into a file. An interrupted fetch continues from FILE.part when run again; the file only " +
            "takes its name once its bytes match the content id.") { media, output };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var fetched = await TransferErrors.TranslateAsync(() => ProgressDisplay.RunAsync(cli.Output, jsonLines: false,
                progress => client.FetchMediaAsync(parse.GetValue(media)!, parse.GetValue(output)!, progress, ct)));
            cli.Output.Result(fetched, f => AnsiConsole.MarkupLine($"Saved [bold]{HumanText.Escape(f.Path)}[/] ({ByteSizes.Format(f.Size)}), verified against {f.ContentId}."));
        });
    }
}
