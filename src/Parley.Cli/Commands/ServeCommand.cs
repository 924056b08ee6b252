using Microsoft.Extensions.Hosting;
using System.CommandLine;
using Parley.Server.Hosting;

namespace Parley.Cli.Commands;

/// <summary><c>parley serve</c>: every role in one process, embedded storage, the web client.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Address(es) to listen on.", DefaultValueFactory = _ => ParleyServer.DefaultUrl };
        var data = new Option<string>("--data") { Description = "Data folder (SQLite database and blobs); created on first start.", DefaultValueFactory = _ => "parley-data" };
        var command = new Command("serve", "Start the Parley server with embedded storage and the web client.") { urls, data };
        command.SetAction(async (result, ct) =>
        {
            var app = ParleyServer.Build(["--urls", result.GetValue(urls)!, "--Parley:DataDirectory", result.GetValue(data)!]);
            // The IHost overload: stops on Ctrl+C / SIGTERM as well as on the command's cancellation.
            await HostingAbstractionsHostExtensions.RunAsync(app, ct);
            return 0;
        });
        return command;
    }
}
