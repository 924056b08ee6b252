using Parley.Client;
using Parley.Client.Passphrase;
using Parley.Testing;

namespace Parley.Bench.Passphrase;

/// <summary>A signed-in user of the benchmark's server with its live connection.</summary>
internal sealed class Party : IAsyncDisposable
{
    private Party(string name, ParleyClient client, ParleyLive live)
    {
        Name = name;
        Client = client;
        Live = live;
    }

    public string Name { get; }
    public ParleyClient Client { get; }
    public ParleyLive Live { get; }

    public static async Task<Party> SignUpAsync(RunningServer server, string name)
    {
        const string password = "benchmark password";
        var client = new ParleyClient(server.BaseAddress);
        await client.RegisterAsync(name, password);
        await client.SignInAsync(name, password);
        var live = new ParleyLive(client);
        await live.StartAsync();
        return new Party(name, client, live);
    }

    /// <summary>A whole named-mode handshake through the relay, this party asking <paramref name="responder"/>.</summary>
    public async Task<SessionPair> ConnectAsync(Party responder, string passphrase)
    {
        using var inbox = await PassphraseHandshake.ListenAsync(responder.Client, responder.Live);
        using var initiation = await PassphraseHandshake.StartAsync(Client, Live, responder.Name, passphrase);
        var request = await inbox.NextRequestAsync();
        var sessions = await Task.WhenAll(initiation.ConnectAsync(), inbox.AcceptAsync(request, passphrase));
        return new SessionPair(sessions[0], sessions[1]);
    }

    public async ValueTask DisposeAsync()
    {
        await Live.DisposeAsync();
        Client.Dispose();
    }
}

/// <summary>Both ends of one connected session.</summary>
internal sealed record SessionPair(PassphraseSession Initiator, PassphraseSession Responder) : IDisposable
{
    public void Dispose()
    {
        Initiator.Dispose();
        Responder.Dispose();
    }
}
