using System.Security.Cryptography;

namespace Parley.Core.Passphrase;

/// <summary>
/// RFC 9382 §4 for SPAKE2-P256-SHA256-HKDF-HMAC:
/// TT = len(A)||A || len(B)||B || len(pA)||pA || len(pB)||pB || len(K)||K || len(w)||w (len = 8 bytes LE);
/// Ke || Ka = SHA-256(TT) (16 bytes each);
/// KcA || KcB = HKDF-SHA256(ikm = Ka, no salt, info = "ConfirmationKeys" || AAD, L = 32) (16 bytes each, AAD empty);
/// confA = HMAC-SHA256(KcA, TT), confB = HMAC-SHA256(KcB, TT).
/// </summary>
internal sealed class Spake2KeySchedule
{
    public const int HalfHashLength = SHA256.HashSizeInBytes / 2;

    private static ReadOnlySpan<byte> ConfirmationKeysInfo => "ConfirmationKeys"u8;

    private Spake2KeySchedule(byte[] transcript, byte[] sharedPoint, byte[] ke, byte[] ka, byte[] kcA, byte[] kcB)
    {
        Transcript = transcript;
        SharedPoint = sharedPoint;
        Ke = ke;
        Ka = ka;
        KcA = kcA;
        KcB = kcB;
        ConfirmationA = HMACSHA256.HashData(kcA, transcript);
        ConfirmationB = HMACSHA256.HashData(kcB, transcript);
    }

    public byte[] Transcript { get; }
    public byte[] SharedPoint { get; }
    public byte[] Ke { get; }
    public byte[] Ka { get; }
    public byte[] KcA { get; }
    public byte[] KcB { get; }
    public byte[] ConfirmationA { get; }
    public byte[] ConfirmationB { get; }

    public static Spake2KeySchedule Derive(byte[] identityA, byte[] identityB, byte[] shareA, byte[] shareB, byte[] sharedPoint, ReadOnlySpan<byte> w)
    {
        var tt = new List<byte>(6 * 8 + identityA.Length + identityB.Length + 3 * Spake2Suite.PointLength + w.Length);
        Spake2Suite.AppendField(tt, identityA);
        Spake2Suite.AppendField(tt, identityB);
        Spake2Suite.AppendField(tt, shareA);
        Spake2Suite.AppendField(tt, shareB);
        Spake2Suite.AppendField(tt, sharedPoint);
        Spake2Suite.AppendField(tt, w);
        byte[] transcript = [.. tt];

        var hash = SHA256.HashData(transcript);
        var ke = hash[..HalfHashLength];
        var ka = hash[HalfHashLength..];
        var confirmationKeys = new byte[2 * HalfHashLength];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ka, confirmationKeys, salt: [], info: ConfirmationKeysInfo);
        return new Spake2KeySchedule(transcript, sharedPoint, ke, ka, confirmationKeys[..HalfHashLength], confirmationKeys[HalfHashLength..]);
    }
}
