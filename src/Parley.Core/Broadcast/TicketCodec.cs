using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;

namespace Parley.Core.Broadcast;

/// <summary>Why a ticket was refused before any comparison with the upload role's copy.</summary>
public enum TicketDefect { None, Tampered, UnknownKey }

/// <summary>A signing key of the upload role: its id (from the key itself) and the key.</summary>
public sealed class TicketSigningKey(ECDsa key) : IDisposable
{
    public ECDsa Key { get; } = key;

    /// <summary>The first 4 bytes of SHA-256 over the public key: stable, and derivable by anyone holding the public key.</summary>
    public uint Id { get; } = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));

    public void Dispose() => Key.Dispose();
}

/// <summary>
/// Tickets as the wire carries them: signed by the upload role (ECDSA P-256 / SHA-256), then, when
/// encryption is on, sealed with the current dynamic key (AES-256-GCM), the header's flag being the
/// "encryption marker". Sign-then-encrypt: the signature proves who issued it whatever key hides it.
///
/// header (12) = "PT" | version 1 | flags (bit 0 = encrypted) | signing key id (u32 BE) | dynamic key id (u32 BE, 0 if plain)
/// plain     = header | payload | signature (64, r||s over header | payload)
/// encrypted = header | nonce (12) | AES-GCM(payload | signature, AAD = header) | tag (16)
/// text form: base64url without padding.
/// </summary>
public static class TicketCodec
{
    public const int HeaderLength = 12;
    public const int SignatureLength = 64;
    public const int MaxTicketLength = 2048;
    private const byte Version = 1;
    private const byte EncryptedFlag = 1;
    private const int NonceLength = DynamicKey.NonceLength, TagLength = DynamicKey.TagLength;

    public static string Encode(TicketPayload payload, TicketSigningKey signer, DynamicKey? encryption)
    {
        var header = new byte[HeaderLength];
        header[0] = (byte)'P';
        header[1] = (byte)'T';
        header[2] = Version;
        header[3] = encryption is null ? (byte)0 : EncryptedFlag;
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), signer.Id);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), encryption?.Id ?? 0);

        var body = payload.Encode();
        var signature = signer.Key.SignData([.. header, .. body], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        byte[] signed = [.. body, .. signature];
        if (encryption is null) return Base64Url.EncodeToString([.. header, .. signed]);

        var nonce = RandomNumberGenerator.GetBytes(NonceLength);
        var sealedBody = new byte[signed.Length];
        var tag = new byte[TagLength];
        encryption.Seal(nonce, signed, sealedBody, tag, header);
        return Base64Url.EncodeToString([.. header, .. nonce, .. sealedBody, .. tag]);
    }

    /// <summary>The key ids a ticket names, readable before anything is verified, so the verifier can fetch the keys it lacks.</summary>
    public static bool TryReadKeyIds(string ticket, out uint signingKeyId, out uint? dynamicKeyId)
    {
        signingKeyId = 0;
        dynamicKeyId = null;
        if (!TryFromBase64Url(ticket, out var bytes) || !HasHeader(bytes)) return false;
        signingKeyId = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4));
        if ((bytes[3] & EncryptedFlag) != 0) dynamicKeyId = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(8));
        return true;
    }

    /// <summary>Decrypts if the marker says so, then checks the signature; a defect says why the ticket cannot be trusted.</summary>
    public static TicketDefect Decode(string ticket, Func<uint, ECDsa?> signingKeys, Func<uint, DynamicKey?> dynamicKeys, out TicketPayload? payload)
    {
        payload = null;
        if (ticket.Length > MaxTicketLength * 2 || !TryFromBase64Url(ticket, out var bytes) || !HasHeader(bytes)) return TicketDefect.Tampered;
        var header = bytes.AsSpan(0, HeaderLength);
        var signer = signingKeys(BinaryPrimitives.ReadUInt32BigEndian(header[4..]));
        if (signer is null) return TicketDefect.UnknownKey;

        byte[] signed;
        if ((header[3] & EncryptedFlag) != 0)
        {
            var key = dynamicKeys(BinaryPrimitives.ReadUInt32BigEndian(header[8..]));
            if (key is null) return TicketDefect.UnknownKey;
            if (bytes.Length < HeaderLength + NonceLength + TagLength + SignatureLength) return TicketDefect.Tampered;
            var sealedBody = bytes.AsSpan(HeaderLength + NonceLength, bytes.Length - HeaderLength - NonceLength - TagLength);
            signed = new byte[sealedBody.Length];
            if (!key.TryOpen(bytes.AsSpan(HeaderLength, NonceLength), sealedBody, bytes.AsSpan(bytes.Length - TagLength), signed, header))
                return TicketDefect.Tampered;
        }
        else
        {
            signed = bytes[HeaderLength..];
        }

        if (signed.Length < SignatureLength) return TicketDefect.Tampered;
        var body = signed.AsSpan(0, signed.Length - SignatureLength);
        if (!signer.VerifyData([.. header, .. body], signed.AsSpan(signed.Length - SignatureLength), HashAlgorithmName.SHA256,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            return TicketDefect.Tampered;
        return TicketPayload.TryDecode(body, out payload) ? TicketDefect.None : TicketDefect.Tampered;
    }

    private static bool HasHeader(byte[] bytes) =>
        bytes.Length >= HeaderLength && bytes.Length <= MaxTicketLength && bytes[0] == 'P' && bytes[1] == 'T' && bytes[2] == Version && (bytes[3] & ~EncryptedFlag) == 0;

    /// <summary>
    /// Only the canonical spelling: base64url without padding, no other characters, no stray low bits in the
    /// last character. The platform's decoder would also take white space and padding (and ignore stray bits),
    /// giving one ticket many spellings that the comparison with the issued copy would then have to catch.
    /// </summary>
    private static bool TryFromBase64Url(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')) return false;
        var decoded = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        if (Base64Url.DecodeFromChars(text, decoded, out _, out var written) != OperationStatus.Done) return false;
        bytes = decoded[..written];
        return Base64Url.EncodeToString(bytes) == text;
    }
}
