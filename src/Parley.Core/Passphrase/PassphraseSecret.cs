using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Math;
using Parley.Core.Crypto;

namespace Parley.Core.Passphrase;

/// <summary>
/// SPAKE2's password scalar w, together with the two identities it was derived for. Carrying the
/// identities here means a secret derived for one pair of users cannot be run in an exchange that
/// names another pair. Owns w: <see cref="Dispose"/> zeroes it (<see cref="Spake2"/> keeps a copy of its own).
/// </summary>
public sealed class PassphraseSecret : IDisposable
{
    /// <summary>
    /// scrypt cost N = 2^15 with block size r = 8 and parallelism p = 1: 32 MiB of memory and about
    /// 0.1 s per derivation. RFC 9382 §3.2 recommends a memory-hard function: whoever obtains a w
    /// (from a device's memory, say) and searches for the passphrase behind it pays this per guess.
    /// </summary>
    public const int ScryptCost = 1 << 15;

    public const int ScryptBlockSize = 8;

    public const int ScryptParallelism = 1;

    /// <summary>
    /// 48 bytes = 384 bits: 128 bits more than the group order, so that reducing the output mod the
    /// order (RFC 9382 §3.2) leaves a bias below 2^-128.
    /// </summary>
    public const int ScryptOutputLength = 48;

    /// <summary>Starts the scrypt salt; versioned so a future derivation cannot collide with this one.</summary>
    private static ReadOnlySpan<byte> SaltLabel => "parley/passphrase/spake2-w/v1"u8;

    private readonly SecretBytes _w;

    private PassphraseSecret(SecretBytes w, string identityA, string identityB)
    {
        _w = w;
        IdentityA = identityA;
        IdentityB = identityB;
    }

    /// <summary>The identity of party A (the requester), as it enters the salt and the transcript (UTF-8).</summary>
    public string IdentityA { get; }

    /// <summary>The identity of party B (the answerer), as it enters the salt and the transcript (UTF-8).</summary>
    public string IdentityB { get; }

    /// <summary>
    /// w as a number for one curve multiplication. BouncyCastle's BigInteger is immutable and cannot be wiped, so it is
    /// made afresh for each use and dropped at once rather than kept beside the bytes.
    /// </summary>
    internal BigInteger Scalar => Spake2Suite.DecodeScalar(_w.Span);

    /// <summary>w as the transcript carries it: big-endian, padded to the length of the group order.</summary>
    internal ReadOnlySpan<byte> Encoded => _w.Span;

    /// <summary>
    /// w = scrypt(UTF-8(passphrase), salt) mod order, with
    /// salt = "parley/passphrase/spake2-w/v1" || len(idA) || idA || len(idB) || idB
    /// (len = 8 bytes little-endian, identities UTF-8). Deterministic: both parties derive the same w.
    /// Takes about 0.1 s.
    /// </summary>
    public static PassphraseSecret Derive(string passphrase, string identityA, string identityB)
    {
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        ArgumentNullException.ThrowIfNull(identityA);
        ArgumentNullException.ThrowIfNull(identityB);

        var password = Encoding.UTF8.GetBytes(passphrase);
        byte[] output;
        try
        {
            output = SCrypt.Generate(password, Salt(identityA, identityB), ScryptCost, ScryptBlockSize, ScryptParallelism, ScryptOutputLength);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
        var w = Spake2Suite.EncodeScalar(Spake2Suite.DecodeScalar(output).Mod(Spake2Suite.Order));
        CryptographicOperations.ZeroMemory(output);
        try
        {
            return new PassphraseSecret(SecretBytes.Copy(w), identityA, identityB);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(w);
        }
    }

    /// <summary>Takes w as given (32 bytes big-endian, below the order): the RFC test vectors fix it.</summary>
    internal static PassphraseSecret FromScalar(ReadOnlySpan<byte> w, string identityA, string identityB)
    {
        if (w.Length != Spake2Suite.ScalarLength || Spake2Suite.DecodeScalar(w).CompareTo(Spake2Suite.Order) >= 0)
        {
            throw new ArgumentException($"w must be {Spake2Suite.ScalarLength} bytes big-endian and below the group order.", nameof(w));
        }
        return new PassphraseSecret(SecretBytes.Copy(w), identityA, identityB);
    }

    /// <summary>A copy with its own lifetime, for a party that outlives the caller's secret.</summary>
    internal PassphraseSecret Copy() => new(SecretBytes.Copy(_w.Span), IdentityA, IdentityB);

    public void Dispose() => _w.Dispose();

    internal static byte[] Salt(string identityA, string identityB)
    {
        var (a, b) = (Encoding.UTF8.GetBytes(identityA), Encoding.UTF8.GetBytes(identityB));
        var salt = new byte[SaltLabel.Length + Spake2Suite.FieldLength(a.Length) + Spake2Suite.FieldLength(b.Length)];
        SaltLabel.CopyTo(salt);
        var at = SaltLabel.Length;
        at += Spake2Suite.WriteField(salt.AsSpan(at), a);
        Spake2Suite.WriteField(salt.AsSpan(at), b);
        return salt;
    }
}
