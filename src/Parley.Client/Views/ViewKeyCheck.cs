using System.Buffers.Text;
using System.Security.Cryptography;
using Parley.Core.Views;

namespace Parley.Client.Views;

/// <summary>Checks the server's view key and its signature over a play's transcript (docs/views.md, "Start of play").</summary>
public static class ViewKeyCheck
{
    /// <summary><c>vk_</c> and the first 16 hex digits (lower case) of SHA-256 of the SubjectPublicKeyInfo bytes.</summary>
    public static string KeyIdOf(string publicKey) =>
        "vk_" + Convert.ToHexStringLower(SHA256.HashData(DecodeOrThrow(publicKey, ViewClientCodes.KeyChanged)))[..16];

    /// <summary>Refuses a key whose id is not the one its public half gives: a pin must name the key it holds.</summary>
    public static void EnsureConsistent(ViewKeyDto key)
    {
        using (Import(key.PublicKey, ViewClientCodes.KeyChanged)) { }
        if (!string.Equals(KeyIdOf(key.PublicKey), key.KeyId, StringComparison.OrdinalIgnoreCase))
            throw new ViewKeyPinException(ViewClientCodes.KeyChanged, $"The server's view key {key.KeyId} does not have the id its public key gives.");
    }

    /// <summary>Refuses a play signed with another key than <paramref name="pinned"/>, or whose signature over <paramref name="transcript"/> does not verify.</summary>
    public static void Verify(ViewKeyDto pinned, PlayStartedDto started, PlayTranscript transcript)
    {
        if (!string.Equals(started.KeyId, pinned.KeyId, StringComparison.OrdinalIgnoreCase))
            throw new ViewKeyPinException(ViewClientCodes.KeyChanged,
                $"The server signed play {started.PlayId} with view key {started.KeyId}, but this client pinned {pinned.KeyId}. "
                + "If the server's operator replaced the key on purpose, remove the pin; otherwise someone may be intercepting the connection.");
        using var key = Import(pinned.PublicKey, ViewClientCodes.PinDamaged);
        var signature = Base64Url.IsValid(started.ServerSignature) ? Base64Url.DecodeFromChars(started.ServerSignature) : [];
        if (!key.VerifyData(transcript.ToBytes(), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            throw new ViewKeyPinException(ViewClientCodes.SignatureInvalid,
                $"The server's signature on play {started.PlayId} does not verify with the pinned view key {pinned.KeyId}: the play was not started.");
    }

    private static ECDsa Import(string publicKey, string code)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(DecodeOrThrow(publicKey, code), out _);
            if (key.KeySize != 256) throw new CryptographicException("not a P-256 key");
            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new ViewKeyPinException(code, $"A view key is not an ECDSA P-256 public key ({e.Message}).");
        }
    }

    private static byte[] DecodeOrThrow(string publicKey, string code) =>
        Base64Url.IsValid(publicKey) ? Base64Url.DecodeFromChars(publicKey) : throw new ViewKeyPinException(code, "A view key is not base64url.");
}
