using System.Security.Cryptography;

namespace Parley.Core.Passphrase;

/// <summary>
/// From the confirmed SPAKE2 key Ke to the channel keys:
/// second = HKDF-SHA256(ikm = Ke, salt = randomA || randomB, info = "parley/passphrase/second-key/v1", L = 32);
/// keyAtoB = HKDF-Expand-SHA256(second, info = "parley/passphrase/channel/a-to-b/v1", L = 32);
/// keyBtoA = HKDF-Expand-SHA256(second, info = "parley/passphrase/channel/b-to-a/v1", L = 32).
/// Each side contributes a fresh random, so the channel keys are new even if an exchange repeats.
/// </summary>
public static class SessionKeys
{
    public const int RandomLength = 32;

    public const int KeyLength = 32;

    private static ReadOnlySpan<byte> SecondKeyInfo => "parley/passphrase/second-key/v1"u8;

    private static ReadOnlySpan<byte> AToBInfo => "parley/passphrase/channel/a-to-b/v1"u8;

    private static ReadOnlySpan<byte> BToAInfo => "parley/passphrase/channel/b-to-a/v1"u8;

    /// <summary>A fresh random for the answer (B) or the confirmation (A).</summary>
    public static byte[] CreateRandom() => RandomNumberGenerator.GetBytes(RandomLength);

    internal static ChannelKeys Derive(ReadOnlySpan<byte> ke, ReadOnlySpan<byte> randomA, ReadOnlySpan<byte> randomB)
    {
        if (randomA.Length != RandomLength) throw new ArgumentException($"The random must be {RandomLength} bytes.", nameof(randomA));
        if (randomB.Length != RandomLength) throw new ArgumentException($"The random must be {RandomLength} bytes.", nameof(randomB));

        Span<byte> salt = stackalloc byte[2 * RandomLength];
        randomA.CopyTo(salt);
        randomB.CopyTo(salt[RandomLength..]);

        var keys = new ChannelKeys(new byte[KeyLength], new byte[KeyLength], new byte[KeyLength]);
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ke, keys.Second, salt, SecondKeyInfo);
        // The second key is already a uniform 32-byte PRK, so Expand alone separates the directions.
        HKDF.Expand(HashAlgorithmName.SHA256, keys.Second, keys.AToB, AToBInfo);
        HKDF.Expand(HashAlgorithmName.SHA256, keys.Second, keys.BToA, BToAInfo);
        return keys;
    }

    internal readonly record struct ChannelKeys(byte[] Second, byte[] AToB, byte[] BToA)
    {
        public void Clear()
        {
            CryptographicOperations.ZeroMemory(Second);
            CryptographicOperations.ZeroMemory(AToB);
            CryptographicOperations.ZeroMemory(BToA);
        }
    }
}
