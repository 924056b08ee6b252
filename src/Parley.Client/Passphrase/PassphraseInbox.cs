using Parley.Core.Passphrase;

namespace Parley.Client.Passphrase;

/// <summary>
/// Listens for named-mode requests to this user. It is listening once <see cref="PassphraseHandshake.ListenAsync"/>
/// returns; requests made before that are not seen. Answers one request: the session it connects takes over the subscription.
/// </summary>
public sealed class PassphraseInbox : IDisposable
{
    private readonly ParleyClient _client;
    private readonly PakeFeed _feed;
    private bool _handedOver;

    internal PassphraseInbox(ParleyClient client, PakeFeed feed)
    {
        _client = client;
        _feed = feed;
    }

    /// <summary>The next request to this user. Throws <see cref="LiveConnectionLostException"/> if the live connection is lost for good.</summary>
    public async Task<PassphraseRequest> NextRequestAsync(CancellationToken ct = default)
    {
        while (true)
        {
            var signal = await _feed.ReadAsync(ct) ?? throw new ObjectDisposedException(nameof(ParleyLive), "The live connection was closed.");
            if (signal is PakeRequestSignal { Session: var session }) return new PassphraseRequest(session);
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
