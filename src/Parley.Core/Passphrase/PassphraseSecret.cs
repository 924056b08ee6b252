using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Math;

namespace Parley.Core.Passphrase;

/// <summary>
/// SPAKE2's password scalar w, together with the two identities it was derived for. Carrying the
/// identities here means a secret derived for one pair of users cannot be run in an exchange that
/// names another pair.
/// </summary>
public sealed class PassphraseSecret
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

    private readonly byte[] _w;

    private PassphraseSecret(byte[] w, string identityA, string identityB)
    {
        _w = w;
        IdentityA = identityA;
        IdentityB = identityB;
        Scalar = Spake2Suite.DecodeScalar(w);
    }

    /// <summary>The identity of party A (the requester), as it enters the salt and the transcript (UTF-8).</summary>
    public string IdentityA { get; }

    /// <summary>The identity of party B (the answerer), as it enters the salt and the transcript (UTF-8).</summary>
    public string IdentityB { get; }

    internal BigInteger Scalar { get; }

    /// <summary>w as the transcript carries it: big-endian, padded to the length of the group order.</summary>
    internal ReadOnlySpan<byte> Encoded => _w;

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
        var w = Spake2Suite.DecodeScalar(output).Mod(Spake2Suite.Order);
        CryptographicOperations.ZeroMemory(output);
        return new PassphraseSecret(Spake2Suite.EncodeScalar(w), identityA, identityB);
    }

    /// <summary>Takes w as given (32 bytes big-endian, below the order): the RFC test vectors fix it.</summary>
    internal static PassphraseSecret FromScalar(ReadOnlySpan<byte> w, string identityA, string identityB)
    {
        if (w.Length != Spake2Suite.ScalarLength || Spake2Suite.DecodeScalar(w).CompareTo(Spake2Suite.Order) >= 0)
        {
            throw new ArgumentException($"w must be {Spake2Suite.ScalarLength} bytes big-endian and below the group order.", nameof(w));
        }
        return new PassphraseSecret(w.ToArray(), identityA, identityB);
    }

    internal static byte[] Salt(string identityA, string identityB)
    {
        var salt = new List<byte>(SaltLabel.Length + 16 + identityA.Length + identityB.Length);
        salt.AddRange(SaltLabel);
        Spake2Suite.AppendField(salt, Encoding.UTF8.GetBytes(identityA));
        Spake2Suite.AppendField(salt, Encoding.UTF8.GetBytes(identityB));
        return [.. salt];
    }
}
