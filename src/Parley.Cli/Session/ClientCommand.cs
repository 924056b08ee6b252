using System.CommandLine;
using Parley.Cli.Output;
using Parley.Cli.Scanning;
using Parley.Client.Scanning;

namespace Parley.Cli.Session;

internal delegate Task ClientAction(CliContext cli, ParseResult parse, CancellationToken ct);

/// <summary>A client action that decides its own exit code (e.g. <c>talk</c>, whose failed session is an event, not an error).</summary>
internal delegate Task<int> ClientActionWithExitCode(CliContext cli, ParseResult parse, CancellationToken ct);

/// <summary>
/// Makes a command a client command: it takes <c>--server</c> and <c>--json</c>, and every expected
/// failure becomes one error (a JSON line or a sentence on stderr) and exit code 1, never a stack trace; a share a scan
/// blocked is its verdict and exit code 2.
/// </summary>
internal static class ClientCommand
{
    public const string JsonDescription = "Print one JSON object per result, event or error, one per line.";

    public static Command WithClientAction(this Command command, ClientAction action) =>
        command.WithClientAction(async (cli, parse, ct) =>
        {
            await action(cli, parse, ct);
            return 0;
        }, JsonDescription);

    public static Command WithClientAction(this Command command, ClientActionWithExitCode action, string jsonDescription)
    {
        var server = new Option<string?>("--server")
        {
            Description = $"Server address; default: ${CliContext.ServerVariable}, else the server signed in to, else http://127.0.0.1:5080.",
        };
        var json = new Option<bool>("--json") { Description = jsonDescription };
        command.Options.Add(server);
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var output = new CliOutput(parse.GetValue(json));
            CliContext? cli = null;
            try
            {
                cli = CliContext.Create(parse.GetValue(server), output);
                return await action(cli, parse, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM: stopping is what the user asked for, not an error to report.
                return 130;
            }
            catch (ShareBlockedException e)
            {
                // A detection's verdict, not a failure of the command: printed as one, with the scan's exit code.
                ShareVerdicts.Print(output, e);
                return ShareVerdicts.Blocked;
            }
            catch (Exception e) when (CliFailure.From(e, cli?.Server) is { } failure)
            {
                output.Error(failure);
                return 1;
            }
        });
        return command;
    }
}
