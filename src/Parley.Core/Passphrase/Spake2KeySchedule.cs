using System.Security.Cryptography;
using Parley.Core.Crypto;

namespace Parley.Core.Passphrase;

/// <summary>
/// RFC 9382 §4 for SPAKE2-P256-SHA256-HKDF-HMAC:
/// TT = len(A)||A || len(B)||B || len(pA)||pA || len(pB)||pB || len(K)||K || len(w)||w (len = 8 bytes LE);
/// Ke || Ka = SHA-256(TT) (16 bytes each);
/// KcA || KcB = HKDF-SHA256(ikm = Ka, no salt, info = "ConfirmationKeys" || AAD, L = 32) (16 bytes each, AAD empty);
/// confA = HMAC-SHA256(KcA, TT), confB = HMAC-SHA256(KcB, TT).
/// The transcript (it ends with w), K and the keys are secrets this schedule owns and <see cref="Dispose"/> zeroes;
/// the two confirmations are sent in the clear and outlive it.
/// </summary>
internal sealed class Spake2KeySchedule : IDisposable
{
    public const int HalfHashLength = SHA256.HashSizeInBytes / 2;

    private static ReadOnlySpan<byte> ConfirmationKeysInfo => "ConfirmationKeys"u8;

    private readonly SecretBytes _transcript, _sharedPoint, _ke, _ka, _kcA, _kcB;
    private readonly byte[] _confirmationA, _confirmationB;

    private Spake2KeySchedule(SecretBytes transcript, SecretBytes sharedPoint, SecretBytes ke, SecretBytes ka, SecretBytes kcA, SecretBytes kcB)
    {
        (_transcript, _sharedPoint, _ke, _ka, _kcA, _kcB) = (transcript, sharedPoint, ke, ka, kcA, kcB);
        _confirmationA = HMACSHA256.HashData(kcA.Span, transcript.Span);
        _confirmationB = HMACSHA256.HashData(kcB.Span, transcript.Span);
    }

    public ReadOnlySpan<byte> Transcript => _transcript.Span;
    public ReadOnlySpan<byte> SharedPoint => _sharedPoint.Span;
    public ReadOnlySpan<byte> Ke => _ke.Span;
    public ReadOnlySpan<byte> Ka => _ka.Span;
    public ReadOnlySpan<byte> KcA => _kcA.Span;
    public ReadOnlySpan<byte> KcB => _kcB.Span;
    public ReadOnlySpan<byte> ConfirmationA => _confirmationA;
    public ReadOnlySpan<byte> ConfirmationB => _confirmationB;

    public static Spake2KeySchedule Derive(ReadOnlySpan<byte> identityA, ReadOnlySpan<byte> identityB, ReadOnlySpan<byte> shareA,
        ReadOnlySpan<byte> shareB, ReadOnlySpan<byte> sharedPoint, ReadOnlySpan<byte> w)
    {
        var transcript = SecretBytes.Allocate(Spake2Suite.FieldLength(identityA.Length) + Spake2Suite.FieldLength(identityB.Length) +
            Spake2Suite.FieldLength(shareA.Length) + Spake2Suite.FieldLength(shareB.Length) + Spake2Suite.FieldLength(sharedPoint.Length) +
            Spake2Suite.FieldLength(w.Length));
        var tt = transcript.Writable;
        var at = Spake2Suite.WriteField(tt, identityA);
        at += Spake2Suite.WriteField(tt[at..], identityB);
        at += Spake2Suite.WriteField(tt[at..], shareA);
        at += Spake2Suite.WriteField(tt[at..], shareB);
        at += Spake2Suite.WriteField(tt[at..], sharedPoint);
        Spake2Suite.WriteField(tt[at..], w);

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> confirmationKeys = stackalloc byte[2 * HalfHashLength];
        try
        {
            SHA256.HashData(transcript.Span, hash);
            HKDF.DeriveKey(HashAlgorithmName.SHA256, hash[HalfHashLength..], confirmationKeys, salt: [], info: ConfirmationKeysInfo);
            return new Spake2KeySchedule(transcript, SecretBytes.Copy(sharedPoint), SecretBytes.Copy(hash[..HalfHashLength]),
                SecretBytes.Copy(hash[HalfHashLength..]), SecretBytes.Copy(confirmationKeys[..HalfHashLength]),
                SecretBytes.Copy(confirmationKeys[HalfHashLength..]));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(hash);
            CryptographicOperations.ZeroMemory(confirmationKeys);
        }
    }

    public void Dispose()
    {
        foreach (var secret in new[] { _transcript, _sharedPoint, _ke, _ka, _kcA, _kcB }) secret.Dispose();
    }
}
