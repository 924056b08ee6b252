namespace Parley.Cli.State;

/// <summary>The signed-in session this install uses: which server, as whom, with which token.</summary>
internal sealed record StoredSession(string Server, string UserId, string UserName, string Token)
{
    public bool IsFor(Uri server) => Uri.TryCreate(Server, UriKind.Absolute, out var stored) && stored == server;
}
