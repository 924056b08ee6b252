using System.Collections.Concurrent;
using Parley.Core.Passphrase;

namespace Parley.Client.Passphrase;

/// <summary>
/// A connected passphrase session: both key confirmations matched and each side holds its end of
/// a <see cref="SecureChannel"/>. Every message is sealed here and opened at the peer; the relay
/// carries frames it cannot read. Send with <see cref="SendAsync"/> and <see cref="SendFileAsync"/>;
/// read what arrives with <see cref="ReadEventsAsync"/>.
/// </summary>
public sealed partial class PassphraseSession : IDisposable
{
    private readonly ParleyClient _client;
    private readonly PakeFeed _feed;
    private readonly SecureChannel _channel;

    /// <summary>One sender at a time: frames must reach the relay in the order their counters were taken.</summary>
    private readonly SemaphoreSlim _sending = new(1, 1);

    /// <summary>Sequence numbers the relay gave this side's frames, so the reader knows those gaps hide nothing of the peer's.</summary>
    private readonly ConcurrentDictionary<long, byte> _ownSeqs = new();

    /// <summary>A sealed frame whose relay call failed: it holds the next counter, so it goes out before anything newer.</summary>
    private byte[]? _unrelayed;

    internal PassphraseSession(ParleyClient client, PakeFeed feed, PakeSessionDto connected, Spake2Role role, SecureChannel channel)
    {
        _client = client;
        _feed = feed;
        _channel = channel;
        Id = connected.Id;
        Role = role;
        Self = role == Spake2Role.A ? connected.Initiator : connected.Responder!;
        Peer = role == Spake2Role.A ? connected.Responder! : connected.Initiator;
    }

    public string Id { get; }

    /// <summary>A for the user who opened the session, B for the one who answered it.</summary>
    public Spake2Role Role { get; }

    public string Self { get; }

    public string Peer { get; }

    /// <summary>Sends one text message to the peer, end-to-end encrypted.</summary>
    /// <exception cref="ArgumentException">The text does not fit one frame (about 32 KB of UTF-8); nothing was sent.</exception>
    public Task SendAsync(string text, CancellationToken ct = default) => SendContentAsync(new TextContent(text), ct);

    /// <summary>Tells the peer this side is done; its event stream ends with <see cref="PassphrasePeerLeft"/>.</summary>
    public Task CloseAsync(CancellationToken ct = default) => SendContentAsync(new ByeContent(), ct);

    private async Task SendContentAsync(ChannelContent content, CancellationToken ct)
    {
        var plaintext = content.Serialize();
        if (plaintext.Length > HandshakeSteps.MaxPlaintextLength)
            throw new ArgumentException($"A message may take at most {HandshakeSteps.MaxPlaintextLength} bytes once encoded; this one takes {plaintext.Length}.");
        await _sending.WaitAsync(ct);
        try
        {
            if (_unrelayed is { } earlier) await RelayAsync(earlier, ct);
            await RelayAsync(_channel.Seal(plaintext), ct);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <remarks>
    /// A frame whose call failed is sent again before the next one. If the failed call did reach the
    /// server after all, the peer refuses the copy as a replay; without the retry every later frame
    /// would be out of sequence for the peer.
    /// </remarks>
    private async Task RelayAsync(byte[] frame, CancellationToken ct)
    {
        _unrelayed = frame;
        var relayed = await _client.SendPassphraseFrameAsync(Id, frame, ct);
        _unrelayed = null;
        _ownSeqs.TryAdd(relayed.Seq, 0);
    }

    /// <summary>Stops listening and forgets the keys; the client and the live connection stay the caller's.</summary>
    public void Dispose()
    {
        _feed.Dispose();
        _channel.Dispose();
        _sending.Dispose();
    }
}
