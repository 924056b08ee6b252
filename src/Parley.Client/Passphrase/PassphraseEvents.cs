using Parley.Core.Passphrase;

namespace Parley.Client.Passphrase;

/// <summary>What <see cref="PassphraseSession.ReadEventsAsync"/> yields, in the order the peer sent it.</summary>
public abstract record PassphraseEvent;

public sealed record PassphraseTextReceived(string From, string Text, DateTimeOffset SentAt) : PassphraseEvent;

/// <summary>The peer sent a file; fetch and decrypt it with <see cref="PassphraseSession.ReceiveFileAsync"/>.</summary>
public sealed record PassphraseFileOffered(string From, PassphraseFileOffer File, DateTimeOffset SentAt) : PassphraseEvent;

/// <summary>The peer closed its side; nothing more will come, and the event stream ends.</summary>
public sealed record PassphrasePeerLeft(string Peer) : PassphraseEvent;

/// <summary>
/// A relayed frame was refused and not delivered: replayed, reordered, altered, or not sealed in
/// this session (<see cref="Failure"/>), or authentic but with content this client cannot read
/// (<see cref="Failure"/> null). Later genuine frames still open.
/// </summary>
public sealed record PassphraseFrameRejected(long Seq, PassphraseFailure? Failure, string Reason) : PassphraseEvent;

/// <summary>The server ended the session (e.g. the peer reported a key confirmation mismatch); the event stream ends.</summary>
public sealed record PassphraseSessionFailed(string Code) : PassphraseEvent
{
    public string Reason => PassphraseFailedException.Describe(Code);
}

/// <summary>A file the peer sent: its name, size, and where its ciphertext is. The key stays inside.</summary>
public sealed class PassphraseFileOffer
{
    internal PassphraseFileOffer(string name, long size, string contentId, string messageId, byte[] key)
    {
        Name = name;
        Size = size;
        ContentId = contentId;
        MessageId = messageId;
        Key = key;
    }

    /// <summary>The name on the sender's side, as the sender wrote it: sanitize it before using it as a path.</summary>
    public string Name { get; }

    /// <summary>Plaintext bytes.</summary>
    public long Size { get; }

    /// <summary>The content id of the relayed ciphertext.</summary>
    public string ContentId { get; }

    /// <summary>The server message that carries the ciphertext as media.</summary>
    public string MessageId { get; }

    internal byte[] Key { get; }
}
