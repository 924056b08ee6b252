using System.Security.Cryptography;
using System.Text;
using Parley.Core.Crypto;

namespace Parley.Core.Passphrase;

/// <summary>
/// One side of one SPAKE2 exchange (RFC 9382, SPAKE2-P256-SHA256-HKDF-HMAC). Start it, send
/// <see cref="Share"/>, and pass the peer's share to <see cref="Finish"/> exactly once; then exchange
/// key confirmations through the returned <see cref="Spake2Confirmation"/>. A party is single-use:
/// it holds a fresh ephemeral scalar, and each exchange is one guess at the passphrase. It owns its
/// scalar and a copy of w, and zeroes both when it finishes or is disposed, whichever comes first.
/// </summary>
public sealed class Spake2 : IDisposable
{
    public const int ShareLength = Spake2Suite.PointLength;

    private readonly PassphraseSecret _secret;
    private readonly SecretBytes _scalar;
    private readonly byte[] _share;
    private bool _finished;

    private Spake2(Spake2Role role, PassphraseSecret secret, SecretBytes scalar)
    {
        Role = role;
        _secret = secret.Copy();
        _scalar = scalar;
        // pA = x*P + w*M, pB = y*P + w*N (RFC 9382 §3.3).
        var blind = role == Spake2Role.A ? Spake2Suite.M : Spake2Suite.N;
        var share = Spake2Suite.Multiply(Spake2Suite.Curve.G, Spake2Suite.DecodeScalar(scalar.Span)).Add(Spake2Suite.Multiply(blind, _secret.Scalar));
        _share = Spake2Suite.EncodePoint(share);
    }

    public Spake2Role Role { get; }

    /// <summary>This side's share (pA or pB) to send to the peer: a 65-byte SEC1 uncompressed point.</summary>
    public ReadOnlySpan<byte> Share => _share;

    /// <summary>Starts a party with a fresh random scalar in [1, order - 1]; <paramref name="secret"/> may be disposed as soon as this returns.</summary>
    public static Spake2 Start(Spake2Role role, PassphraseSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return new Spake2(role, secret, RandomScalar());
    }

    /// <summary>Starts a party with a given scalar (x or y): only the RFC test vectors need this.</summary>
    internal static Spake2 Start(Spake2Role role, PassphraseSecret secret, ReadOnlySpan<byte> scalar)
    {
        if (scalar.Length != Spake2Suite.ScalarLength || !Spake2Suite.IsNonZeroScalar(scalar))
        {
            throw new ArgumentException("The scalar must be 32 bytes big-endian in [1, order - 1].", nameof(scalar));
        }
        return new Spake2(role, secret, SecretBytes.Copy(scalar));
    }

    /// <summary>
    /// Combines the peer's share with this side's secret into K and the transcript, and derives the
    /// key schedule. Throws <see cref="PassphraseProtocolException"/> (<see cref="PassphraseFailure.MalformedShare"/>)
    /// for a share that is not a usable P-256 point. The party is used up either way, its secrets zeroed.
    /// </summary>
    public Spake2Confirmation Finish(ReadOnlySpan<byte> peerShare)
    {
        if (_finished) throw new InvalidOperationException("This SPAKE2 party has already finished; start a new one for a new exchange.");
        ObjectDisposedException.ThrowIf(_scalar.IsDisposed, this);
        _finished = true;
        try
        {
            return new Spake2Confirmation(Role, Combine(peerShare));
        }
        finally
        {
            Dispose();
        }
    }

    private Spake2KeySchedule Combine(ReadOnlySpan<byte> peerShare)
    {
        var peer = Spake2Suite.DecodeShare(peerShare);
        // A: K = h*x*(pB - w*N); B: K = h*y*(pA - w*M); h = 1 on P-256 (RFC 9382 §3.3).
        var peerBlind = Role == Spake2Role.A ? Spake2Suite.N : Spake2Suite.M;
        var k = Spake2Suite.Multiply(peer.Subtract(Spake2Suite.Multiply(peerBlind, _secret.Scalar)), Spake2Suite.DecodeScalar(_scalar.Span));
        if (k.IsInfinity)
        {
            // Only a share built from w itself (pB = w*N) leads here; there is no K to encode.
            throw new PassphraseProtocolException(PassphraseFailure.MalformedShare, "The SPAKE2 share makes the shared point the identity.");
        }

        var sharedPoint = Spake2Suite.EncodePoint(k);
        try
        {
            var ownShare = _share.AsSpan();
            var shareA = Role == Spake2Role.A ? ownShare : peerShare;
            var shareB = Role == Spake2Role.A ? peerShare : ownShare;
            return Spake2KeySchedule.Derive(Encoding.UTF8.GetBytes(_secret.IdentityA), Encoding.UTF8.GetBytes(_secret.IdentityB),
                shareA, shareB, sharedPoint, _secret.Encoded);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sharedPoint);
        }
    }

    /// <summary>
    /// Rejection sampling over 32 random bytes: uniform in [1, order - 1]. The P-256 order is just
    /// below 2^256, so a draw is rejected with probability about 2^-32.
    /// </summary>
    private static SecretBytes RandomScalar()
    {
        while (true)
        {
            var candidate = SecretBytes.Random(Spake2Suite.ScalarLength);
            if (Spake2Suite.IsNonZeroScalar(candidate.Span)) return candidate;
            candidate.Dispose();
        }
    }

    /// <summary>Zeroes the scalar and the copy of w; a party disposed before it finished cannot finish.</summary>
    public void Dispose()
    {
        _scalar.Dispose();
        _secret.Dispose();
    }
}
