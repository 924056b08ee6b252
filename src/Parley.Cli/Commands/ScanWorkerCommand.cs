using System.CommandLine;
using Parley.Server.Scanning;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley scan-worker</c>: the server's isolated scan worker, started and fed by the server itself over
/// stdin/stdout (docs/scanning-worker.md). Hidden: nobody runs it by hand.
/// </summary>
public static class ScanWorkerCommand
{
    public static Command Create()
    {
        var command = new Command("scan-worker", "The server's media scan worker (started by `parley serve`; speaks a protocol on stdin/stdout).") { Hidden = true };
        command.SetAction((_, ct) => ScanWorker.RunAsync(ct));
        return command;
    }
}
