using System.CommandLine;
using Parley.Cli.Commands;
using Spectre.Console;

// Piped output is read by programs, not a screen: keep each line whole and free of escape codes, whatever TERM says.
if (Console.IsOutputRedirected)
{
    AnsiConsole.Profile.Width = int.MaxValue / 2;
    AnsiConsole.Profile.Capabilities.Ansi = false;
    AnsiConsole.Profile.Capabilities.ColorSystem = ColorSystem.NoColors;
}

var root = new RootCommand("Parley: abuse-resistant messaging and media sharing.");
root.Subcommands.Add(ServeCommand.Create());
root.Subcommands.Add(ScanWorkerCommand.Create());
foreach (var command in AccountCommands.Create()) root.Subcommands.Add(command);
root.Subcommands.Add(DeviceCommands.Create());
root.Subcommands.Add(RoomCommands.Create());
foreach (var command in MessageCommands.Create()) root.Subcommands.Add(command);
root.Subcommands.Add(ListenCommand.Create());
foreach (var command in BroadcastCommands.Create()) root.Subcommands.Add(command);
root.Subcommands.Add(TalkCommand.Create());
foreach (var command in TransferCommands.Create()) root.Subcommands.Add(command);
root.Subcommands.Add(ScanCommand.Create());
root.Subcommands.Add(FeaturesCommand.Create());
foreach (var command in ViewCommands.Create()) root.Subcommands.Add(command);
foreach (var command in Parley.Cli.Scanning.OperatorCommands.Create()) root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
