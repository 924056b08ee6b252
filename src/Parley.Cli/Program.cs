using System.CommandLine;
using Parley.Cli.Commands;

var root = new RootCommand("Parley: abuse-resistant messaging and media sharing.");
root.Subcommands.Add(ServeCommand.Create());
return await root.Parse(args).InvokeAsync();
