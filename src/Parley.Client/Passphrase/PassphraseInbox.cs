using Parley.Core.Passphrase;

namespace Parley.Client.Passphrase;

/// <summary>
/// Listens for named-mode requests to this user: first those already waiting on the server (made
/// while this user was offline, still within T1), then live ones. It is listening once
/// <see cref="PassphraseHandshake.ListenAsync"/> returns. Answers one request: the session it
/// connects takes over the subscription.
/// </summary>
public sealed class PassphraseInbox : IDisposable
{
    private readonly ParleyClient _client;
    private readonly PakeFeed _feed;
    private readonly HashSet<string> _seen = [];
    private Queue<PakeSessionDto>? _waiting;
    private bool _handedOver;

    internal PassphraseInbox(ParleyClient client, PakeFeed feed)
    {
        _client = client;
        _feed = feed;
    }

    /// <summary>The next request to this user. Throws <see cref="LiveConnectionLostException"/> if the live connection is lost for good.</summary>
    public async Task<PassphraseRequest> NextRequestAsync(CancellationToken ct = default)
    {
        // Asked after subscribing, so a request made in between arrives both ways; the seen set keeps it to one.
        _waiting ??= new Queue<PakeSessionDto>(await _client.GetPendingPassphraseRequestsAsync(ct));
        while (_waiting.TryDequeue(out var waiting))
            if (_seen.Add(waiting.Id)) return new PassphraseRequest(waiting);
        while (true)
        {
            var signal = await _feed.ReadAsync(ct) ?? throw new ObjectDisposedException(nameof(ParleyLive), "The live connection was closed.");
            if (signal is PakeRequestSignal { Session: var session } && _seen.Add(session.Id)) return new PassphraseRequest(session);
        }
    }

    /// <summary>
    /// Answers as B: derives w, sends the answer, waits for A's confirmation and checks it (a mismatch
    /// is reported, and fails the session for both). Throws <see cref="PassphraseFailedException"/>
    /// with the server's code when the session fails.
    /// </summary>
    public async Task<PassphraseSession> AcceptAsync(PassphraseRequest request, string passphrase, CancellationToken ct = default)
    {
        if (_handedOver) throw new InvalidOperationException("This inbox already answered a request.");
        _handedOver = true;
        try
        {
            return await HandshakeSteps.AnswerAsync(_client, _feed, request.Session, passphrase, ct);
        }
        catch
        {
            _feed.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        if (!_handedOver) _feed.Dispose();
    }
}
