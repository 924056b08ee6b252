using System.CommandLine;
using Parley.Cli.Scanning;
using Parley.Cli.Session;

namespace Parley.Cli.Commands;

/// <summary><c>scan FILE</c>: the first detection alone, on this machine; nothing is sent.</summary>
public static class ScanCommand
{
    /// <summary>The exit code of a file that did not pass (1 stays "the command failed").</summary>
    public const int Refused = 2;

    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The picture or video to check." };
        var type = new Option<string?>("--type") { Description = "The media type it would be sent as, e.g. image/png; default: judged by the file's name only." };
        var command = new Command("scan",
            "Check a file as 'send' would before uploading it: its type, structure and the local feature library. Exit code 0 when it " +
            $"passes, {Refused} when it would be refused (the reasons are printed). When signed in, a file that passes gets its local " +
            "security identifier, signed with this device's key.") { file, type };
        return command.WithClientAction(async (cli, parse, ct) =>
            await LocalScanning.ScanAsync(cli, parse.GetValue(file)!, parse.GetValue(type), ct) ? 0 : Refused, ClientCommand.JsonDescription);
    }
}
