using System.CommandLine;
using Parley.Server.Hosting;

namespace Parley.Cli.Commands;

/// <summary>
/// The options of <c>parley serve</c>, each a shorthand for a configuration key. None has a default on the command line:
/// unset, the configuration decides (ASPNETCORE_URLS, Parley__DataDirectory, appsettings.json), and ParleyServer's own
/// defaults after that.
/// </summary>
internal sealed class ServeOptions
{
    private readonly Option<string> _urls = new("--urls") { Description = $"Address(es) to listen on (or set ASPNETCORE_URLS; default {ParleyServer.DefaultUrl})." };
    private readonly Option<string> _data = new("--data") { Description = "Data folder (SQLite database, media, node key); created on first start (or set Parley__DataDirectory; default parley-data)." };
    // Without --role, the configuration (appsettings, Parley__Role) decides, and that is All unless set.
    private readonly Option<string> _role = new("--role")
    {
        Description = "all (the default): everything in one process; central: the node edges ask for content; edge: a node that asks --central-url first; " +
            "upload: issues broadcast tickets (pushes them to --broadcast-url); broadcast: verifies tickets with --upload-url and fans pictures out.",
    };
    private readonly Option<string> _centralUrl = new("--central-url") { Description = "For an edge: the central node's address." };
    private readonly Option<string> _uploadUrl = new("--upload-url") { Description = "For a broadcast node: the upload node's address." };
    private readonly Option<string> _broadcastUrl = new("--broadcast-url") { Description = "For an upload node: the broadcast node's address (tickets are pushed there, clients are told of it)." };
    private readonly Option<string> _nodeKey = new("--node-key")
    {
        Description = "The shared secret of node-to-node calls (or set Parley__Nodes__Key). A central node without one generates <data>/node.key; give that key to its edges.",
    };
    private readonly Option<string> _store = new("--store")
    {
        Description = "PostgreSQL shared by every node: postgres://user:pass@host:port/db or Host=…;Database=… (or set Parley__Storage__ConnectionString). " +
            "Without it: SQLite in the data folder.",
    };
    private readonly Option<string> _media = new("--media")
    {
        Description = "The folder of media files (chunks and unfinished uploads), which every node of a cluster must share " +
            "(or set Parley__Storage__MediaDirectory). Without it: the data folder.",
    };
    private readonly Option<string> _bus = new("--bus")
    {
        Description = "redis://host:port: the Redis that carries live events and pushes between the nodes of a cluster (or set Parley__Bus__Connection).",
    };

    public ServeOptions() => _role.AcceptOnlyFromAmong("all", "central", "edge", "upload", "broadcast");

    public IEnumerable<Option> All => [_urls, _data, _store, _media, _role, _centralUrl, _uploadUrl, _broadcastUrl, _nodeKey, _bus];

    /// <summary>The addresses a role needs, and no address for a role that does not use it.</summary>
    public void Validate(System.CommandLine.Parsing.CommandResult result)
    {
        var central = result.GetValue(_centralUrl);
        // The token as given: GetValue throws on a role outside the list, which the parser already reports as an error.
        var chosen = result.GetResult(_role)?.Tokens.SingleOrDefault()?.Value;
        if (chosen == "edge" && !IsHttpAddress(central))
            result.AddError("An edge needs --central-url URL (http:// or https://), its central node's address.");
        if (central is not null && chosen != "edge") result.AddError("--central-url is for --role edge.");
        if (chosen == "broadcast" && !IsHttpAddress(result.GetValue(_uploadUrl)))
            result.AddError("A broadcast node needs --upload-url URL (http:// or https://), its upload node's address.");
        if (result.GetValue(_uploadUrl) is not null && chosen != "broadcast") result.AddError("--upload-url is for --role broadcast.");
        if (result.GetValue(_broadcastUrl) is { } pushTo && (chosen != "upload" || !IsHttpAddress(pushTo)))
            result.AddError("--broadcast-url is for --role upload and is an http:// or https:// address.");
    }

    /// <summary>The options given, as the configuration keys they stand for (<c>--Key VALUE</c> pairs).</summary>
    public List<string> Settings(ParseResult result)
    {
        var settings = new List<string>();
        void Add(Option<string> option, string key, Func<string, string>? convert = null)
        {
            if (result.GetValue(option) is { } value) settings.AddRange([key, convert?.Invoke(value) ?? value]);
        }
        Add(_urls, "--urls");
        Add(_data, "--Parley:DataDirectory");
        Add(_store, "--Parley:Storage:ConnectionString");
        Add(_media, "--Parley:Storage:MediaDirectory");
        Add(_role, "--Parley:Role", chosen => Enum.Parse<NodeRole>(chosen, ignoreCase: true).ToString());
        Add(_centralUrl, "--Parley:CentralUrl");
        Add(_uploadUrl, "--Parley:Broadcast:UploadUrl");
        Add(_broadcastUrl, "--Parley:Broadcast:BroadcastUrl");
        Add(_nodeKey, "--Parley:Nodes:Key");
        Add(_bus, "--Parley:Bus:Connection");
        return settings;
    }

    private static bool IsHttpAddress(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var address) && address.Scheme is "http" or "https";
}
