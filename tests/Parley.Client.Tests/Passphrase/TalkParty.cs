using Parley.Client.Passphrase;

namespace Parley.Client.Tests.Passphrase;

/// <summary>One side of a passphrase session in a test: a signed-in user, the client it talks through, and its live connection.</summary>
internal sealed class TalkParty : IAsyncDisposable
{
    private readonly DelegatingHandler? _relay;

    private TalkParty(TestUser user, ParleyClient client, ParleyLive live, DelegatingHandler? relay)
    {
        User = user;
        Client = client;
        Live = live;
        _relay = relay;
    }

    public TestUser User { get; }

    public string Name => User.Name;

    /// <summary>The user's client, or one through a relay double when the test puts one in the way.</summary>
    public ParleyClient Client { get; }

    public ParleyLive Live { get; }

    /// <param name="handler">A relay double for this user's HTTP calls; the live connection goes straight to the server.</param>
    public static async Task<TalkParty> JoinAsync(ServerFixture fixture, string prefix, DelegatingHandler? handler = null)
    {
        var user = await fixture.NewUserAsync(prefix);
        var client = user.Client;
        if (handler is not null)
        {
            handler.InnerHandler = new SocketsHttpHandler();
            client = new ParleyClient(fixture.Server.BaseAddress, user.Client.Token, handler) { Scanning = user.Client.Scanning };
        }
        return new TalkParty(user, client, new ParleyLive(client), handler);
    }

    public async ValueTask DisposeAsync()
    {
        await Live.DisposeAsync();
        if (_relay is null) return;
        Client.Dispose();
        _relay.Dispose();
    }
}

/// <summary>Both ends of one connected session.</summary>
internal sealed record ConnectedPair(PassphraseSession Initiator, PassphraseSession Responder) : IDisposable
{
    public const string Passphrase = "correct-horse-battery-staple";

    /// <summary>Named mode: the responder listens, the initiator asks, and both finish the exchange at once.</summary>
    public static async Task<ConnectedPair> NamedAsync(TalkParty initiator, TalkParty responder, string passphrase = Passphrase, string? responderPassphrase = null)
    {
        using var inbox = await PassphraseHandshake.ListenAsync(responder.Client, responder.Live);
        using var initiation = await PassphraseHandshake.StartAsync(initiator.Client, initiator.Live, responder.Name, passphrase);
        var request = await inbox.NextRequestAsync().WaitAsync(ServerFixture.Patience);
        Assert.Equal((initiation.SessionId, initiator.Name), (request.SessionId, request.From));
        return await BothAsync(initiation.ConnectAsync(), inbox.AcceptAsync(request, responderPassphrase ?? passphrase));
    }

    /// <summary>Code mode: the initiator makes a code, the responder joins with it.</summary>
    public static async Task<ConnectedPair> CodeAsync(TalkParty initiator, TalkParty responder)
    {
        using var initiation = await PassphraseHandshake.StartWithCodeAsync(initiator.Client, initiator.Live);
        return await BothAsync(initiation.ConnectAsync(), PassphraseHandshake.JoinAsync(responder.Client, responder.Live, initiation.Code!));
    }

    private static async Task<ConnectedPair> BothAsync(Task<PassphraseSession> initiator, Task<PassphraseSession> responder)
    {
        await Task.WhenAll(initiator, responder).WaitAsync(ServerFixture.Patience);
        return new ConnectedPair(await initiator, await responder);
    }

    public void Dispose()
    {
        Initiator.Dispose();
        Responder.Dispose();
    }
}
