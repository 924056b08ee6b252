using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using System.CommandLine;
using Parley.Server.Hosting;
using Parley.Server.Transfer;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley serve</c>: by default every role in one process, embedded storage, the web client; or one
/// tier of deduplicated transfer (SPEC §1): a central node, or an edge that asks a central node for content
/// it lacks; or one role of signed picture broadcast (SPEC §2): the upload node that issues tickets, or the
/// broadcast node that verifies them (the two share the database).
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        // No defaults on the command line: unset, the configuration decides (ASPNETCORE_URLS, Parley__DataDirectory,
        // appsettings.json), and ParleyServer's own defaults after that.
        var urls = new Option<string>("--urls") { Description = $"Address(es) to listen on (or set ASPNETCORE_URLS; default {ParleyServer.DefaultUrl})." };
        var data = new Option<string>("--data") { Description = "Data folder (SQLite database, media, node key); created on first start (or set Parley__DataDirectory; default parley-data)." };
        // No default value: without --role, the configuration (appsettings, Parley__Role) decides, and that is All unless set.
        var role = new Option<string>("--role")
        {
            Description = "all (the default): everything in one process; central: the node edges ask for content; edge: a node that asks --central-url first; " +
                "upload: issues broadcast tickets (pushes them to --broadcast-url); broadcast: verifies tickets with --upload-url and fans pictures out.",
        };
        role.AcceptOnlyFromAmong("all", "central", "edge", "upload", "broadcast");
        var centralUrl = new Option<string>("--central-url") { Description = "For an edge: the central node's address." };
        var uploadUrl = new Option<string>("--upload-url") { Description = "For a broadcast node: the upload node's address." };
        var broadcastUrl = new Option<string>("--broadcast-url") { Description = "For an upload node: the broadcast node's address (tickets are pushed there, clients are told of it)." };
        var nodeKey = new Option<string>("--node-key")
        {
            Description = "The shared secret of node-to-node calls (or set Parley__Nodes__Key). A central node without one generates <data>/node.key; give that key to its edges.",
        };
        var store = new Option<string>("--store")
        {
            Description = "PostgreSQL shared by every node: postgres://user:pass@host:port/db or Host=…;Database=… (or set Parley__Storage__ConnectionString). " +
                "Without it: SQLite in the data folder.",
        };
        var media = new Option<string>("--media")
        {
            Description = "The folder of media files (chunks and unfinished uploads), which every node of a cluster must share " +
                "(or set Parley__Storage__MediaDirectory). Without it: the data folder.",
        };
        var bus = new Option<string>("--bus")
        {
            Description = "redis://host:port: the Redis that carries live events and pushes between the nodes of a cluster (or set Parley__Bus__Connection).",
        };
        var command = new Command("serve",
            "Start the Parley server with embedded storage and the web client. Any other setting passes through as --Section:Key VALUE, " +
            "e.g. --Parley:Transfer:MaxBlobBytes 1000000000.") { urls, data, store, media, role, centralUrl, uploadUrl, broadcastUrl, nodeKey, bus };
        command.TreatUnmatchedTokensAsErrors = false;
        command.Validators.Add(result =>
        {
            var central = result.GetValue(centralUrl);
            var chosen = result.GetValue(role);
            if (chosen == "edge" && !IsHttpAddress(central))
                result.AddError("An edge needs --central-url URL (http:// or https://), its central node's address.");
            if (central is not null && chosen != "edge") result.AddError("--central-url is for --role edge.");
            if (chosen == "broadcast" && !IsHttpAddress(result.GetValue(uploadUrl)))
                result.AddError("A broadcast node needs --upload-url URL (http:// or https://), its upload node's address.");
            if (result.GetValue(uploadUrl) is not null && chosen != "broadcast") result.AddError("--upload-url is for --role broadcast.");
            if (result.GetValue(broadcastUrl) is { } pushTo && (chosen != "upload" || !IsHttpAddress(pushTo)))
                result.AddError("--broadcast-url is for --role upload and is an http:// or https:// address.");
        });
        command.SetAction(async (result, ct) =>
        {
            var settings = new List<string>();
            if (result.GetValue(urls) is { } addresses) settings.AddRange(["--urls", addresses]);
            if (result.GetValue(data) is { } folder) settings.AddRange(["--Parley:DataDirectory", folder]);
            if (result.GetValue(store) is { } connection) settings.AddRange(["--Parley:Storage:ConnectionString", connection]);
            if (result.GetValue(media) is { } mediaFolder) settings.AddRange(["--Parley:Storage:MediaDirectory", mediaFolder]);
            if (result.GetValue(role) is { } chosen)
                settings.AddRange(["--Parley:Role", Enum.Parse<NodeRole>(chosen, ignoreCase: true).ToString()]);
            if (result.GetValue(centralUrl) is { } central) settings.AddRange(["--Parley:CentralUrl", central]);
            if (result.GetValue(uploadUrl) is { } upload) settings.AddRange(["--Parley:Broadcast:UploadUrl", upload]);
            if (result.GetValue(broadcastUrl) is { } broadcast) settings.AddRange(["--Parley:Broadcast:BroadcastUrl", broadcast]);
            if (result.GetValue(nodeKey) is { } key) settings.AddRange(["--Parley:Nodes:Key", key]);
            if (result.GetValue(bus) is { } redis) settings.AddRange(["--Parley:Bus:Connection", redis]);
            if (!TryPassThrough(result.UnmatchedTokens, settings, out var error))
            {
                Console.Error.WriteLine($"error: {error}");
                return 1;
            }
            var (app, problem) = await BuildAsync(settings);
            if (app is null)
            {
                Console.Error.WriteLine($"error: {problem}");
                return 1;
            }
            // Whatever the log levels, the operator learns where to point a browser.
            app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"Parley is serving the web client at {string.Join(", ", app.Urls)}"));
            // The IHost overload: stops on Ctrl+C / SIGTERM as well as on the command's cancellation.
            await HostingAbstractionsHostExtensions.RunAsync(app, ct);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Builds the server and checks now, rather than at its first node call, what its role needs: a central
    /// writes <c>&lt;data&gt;/node.key</c> for its operator to hand out, and a node that calls another without
    /// the key (or an edge without its central's address) refuses to start, with a sentence instead of a stack trace.
    /// </summary>
    private static async Task<(WebApplication? App, string? Problem)> BuildAsync(List<string> settings)
    {
        WebApplication? app = null;
        try
        {
            app = ParleyServer.Build([.. settings]);
            if (app.Services.GetRequiredService<IOptions<ParleyOptions>>().Value.Role != NodeRole.All) app.Services.GetRequiredService<NodeKey>();
            return (app, null);
        }
        catch (Exception e) when (e is InvalidOperationException or OptionsValidationException)
        {
            // A setting out of range (OptionsValidationException) or of the wrong type (the binder's InvalidOperationException) names itself.
            if (app is not null) await app.DisposeAsync();
            return (null, e.Message);
        }
    }

    private static bool IsHttpAddress(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var address) && address.Scheme is "http" or "https";

    /// <summary>
    /// Appends <c>--Section:Key VALUE</c> pairs (or <c>--Section:Key=VALUE</c>) after the options', so they win; anything
    /// else (a mistyped option, a stray word) is refused rather than silently ignored by the configuration.
    /// </summary>
    private static bool TryPassThrough(IReadOnlyList<string> tokens, List<string> settings, out string? error)
    {
        error = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || !token.Contains(':'))
            {
                error = $"Unrecognized option or argument '{token}'. Settings pass through as --Section:Key VALUE.";
                return false;
            }
            settings.Add(token);
            if (token.Contains('=')) continue;
            if (i + 1 == tokens.Count)
            {
                error = $"{token} needs a value.";
                return false;
            }
            settings.Add(tokens[++i]);
        }
        return true;
    }
}
