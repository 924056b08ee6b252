using Parley.Cli.Output;
using Parley.Cli.State;
using Parley.Client;
using Parley.Server.Hosting;

namespace Parley.Cli.Session;

/// <summary>Where a client command connects, as whom, and where it writes.</summary>
internal sealed class CliContext
{
    public const string ServerVariable = "PARLEY_SERVER";

    private readonly StoredSession? _session;

    private CliContext(ParleyHome home, Uri server, StoredSession? session, CliOutput output)
    {
        Home = home;
        Server = server;
        _session = session;
        Output = output;
    }

    public ParleyHome Home { get; }
    public Uri Server { get; }
    public CliOutput Output { get; }

    /// <summary>The server is, in order: <c>--server</c>, <c>$PARLEY_SERVER</c>, the one signed in to, the local default.</summary>
    public static CliContext Create(string? serverOption, CliOutput output)
    {
        var home = ParleyHome.FromEnvironment();
        var stored = home.ReadSession();
        var chosen = FirstNonEmpty(serverOption, Environment.GetEnvironmentVariable(ServerVariable), stored?.Server) ?? ParleyServer.DefaultUrl;
        if (!Uri.TryCreate(chosen, UriKind.Absolute, out var server) || server.Scheme is not ("http" or "https"))
            throw new CliException(CliCodes.InvalidServer, $"'{chosen}' is not an http:// or https:// address.");
        // A token is only ever sent to the server that issued it.
        return new CliContext(home, server, stored is not null && stored.IsFor(server) ? stored : null, output);
    }

    public ParleyClient AnonymousClient() => new(Server);

    /// <summary>The session for this server, or a clear refusal if there is none.</summary>
    public StoredSession RequireSession() =>
        _session ?? throw new CliException(CliCodes.NotSignedIn, $"Not signed in to {Server}: run 'parley login --user NAME' first.");

    public ParleyClient SignedInClient() => new(Server, RequireSession().Token);

    /// <summary>The signed-in account's folder, or null when not signed in to this server.</summary>
    public AccountFolder? SignedInAccountOrNull() => _session is null ? null : Home.Account(Server, _session.UserName);

    public AccountFolder CurrentAccount() => Home.Account(Server, RequireSession().UserName);

    private static string? FirstNonEmpty(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
