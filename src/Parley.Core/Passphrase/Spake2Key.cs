using Parley.Core.Crypto;

namespace Parley.Core.Passphrase;

/// <summary>
/// The SPAKE2 key Ke after both confirmations matched: Parley's "first key". It opens exactly one
/// <see cref="SecureChannel"/>, since two channels from the same key and randoms would reuse nonces.
/// Owns Ke: zeroed once the channel is made, or on <see cref="Dispose"/>.
/// </summary>
public sealed class Spake2Key : IDisposable
{
    public const int Length = Spake2KeySchedule.HalfHashLength;

    private readonly SecretBytes _ke;
    private bool _channelCreated;

    internal Spake2Key(Spake2Role role, ReadOnlySpan<byte> ke)
    {
        Role = role;
        _ke = SecretBytes.Copy(ke);
    }

    public Spake2Role Role { get; }

    internal ReadOnlySpan<byte> Bytes => _ke.Span;

    /// <summary>
    /// Derives the second key from Ke and the two randoms (A's from the confirmation, B's from the
    /// answer; see <see cref="SessionKeys"/>) and returns this side's end of the channel. The session
    /// id, which the caller gets from the server, is bound into every frame's associated data.
    /// </summary>
    public SecureChannel CreateChannel(ReadOnlySpan<byte> randomA, ReadOnlySpan<byte> randomB, ReadOnlySpan<byte> sessionId,
        int maxPlaintextLength = SecureChannel.DefaultMaxPlaintextLength)
    {
        if (_channelCreated) throw new InvalidOperationException("This key already opened its channel; run a new exchange for another.");
        var keys = SessionKeys.Derive(_ke.Span, randomA, randomB);
        _channelCreated = true;
        try
        {
            return Role == Spake2Role.A
                ? new SecureChannel(Role, keys.AToB, keys.BToA, sessionId, maxPlaintextLength)
                : new SecureChannel(Role, keys.BToA, keys.AToB, sessionId, maxPlaintextLength);
        }
        finally
        {
            // The AES-GCM instances hold their own copies; nothing else needs these keys or Ke again.
            keys.Clear();
            _ke.Dispose();
        }
    }

    public void Dispose() => _ke.Dispose();
}
