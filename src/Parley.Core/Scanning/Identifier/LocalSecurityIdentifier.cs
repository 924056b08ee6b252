using System.Buffers.Binary;
using System.Buffers.Text;
using Parley.Core.Transfer;

namespace Parley.Core.Scanning.Identifier;

/// <summary>
/// The local security identifier: a device's statement "these bytes passed my first detection against
/// feature library version V at time T", signed with its ECDSA P-256 device key. The signed bytes
/// (docs/scanning.md, "Local security identifier") are
/// <code>
/// "parley-scan-id-v1\n" (18 ASCII bytes) ‖ SHA-256 digest of the content (32) ‖ library version (u64 BE) ‖ signed at (unix ms, i64 BE)
/// </code>
/// and the identifier's text is base64url (no padding) of
/// <code>
/// 0x01 ‖ digest (32) ‖ version (u64 BE) ‖ unix ms (i64 BE) ‖ ECDSA-SHA256 signature, IEEE P1363 r‖s (64)
/// </code>
/// 113 bytes, 151 characters. The digest travels in the identifier so that a verifier can tell an
/// identifier made for other bytes from a forged one.
/// </summary>
public sealed record LocalSecurityIdentifier(ContentId ContentId, long LibraryVersion, DateTimeOffset SignedAt, byte[] Signature)
{
    public const byte FormatVersion = 1;
    public const int SignatureLength = 64;
    public const int EncodedLength = 1 + ContentId.DigestLength + 8 + 8 + SignatureLength;

    /// <summary>Domain separation: these bytes can never be mistaken for another Parley signature (device proofs, tickets).</summary>
    public static ReadOnlySpan<byte> Domain => "parley-scan-id-v1\n"u8;

    /// <summary>The bytes the device key signs.</summary>
    public static byte[] SignedBytes(ContentId contentId, long libraryVersion, DateTimeOffset signedAt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(libraryVersion);
        var bytes = new byte[Domain.Length + ContentId.DigestLength + 16];
        Domain.CopyTo(bytes);
        contentId.Digest.CopyTo(bytes.AsSpan(Domain.Length));
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(Domain.Length + ContentId.DigestLength), (ulong)libraryVersion);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(Domain.Length + ContentId.DigestLength + 8), signedAt.ToUnixTimeMilliseconds());
        return bytes;
    }

    /// <summary>Signs with <paramref name="sign"/>: ECDSA-SHA256 over its input, IEEE P1363 (a device key's <c>Sign</c>).</summary>
    public static LocalSecurityIdentifier Create(ContentId contentId, long libraryVersion, DateTimeOffset signedAt, Func<byte[], byte[]> sign)
    {
        // The signed time is whole milliseconds, so the identifier says exactly what was signed.
        var at = DateTimeOffset.FromUnixTimeMilliseconds(signedAt.ToUnixTimeMilliseconds());
        var signature = sign(SignedBytes(contentId, libraryVersion, at));
        if (signature.Length != SignatureLength) throw new ArgumentException("The signer must return a 64-byte IEEE P1363 signature.", nameof(sign));
        return new LocalSecurityIdentifier(contentId, libraryVersion, at, signature);
    }

    public byte[] SignedBytes() => SignedBytes(ContentId, LibraryVersion, SignedAt);

    /// <summary>The text form sent with a share.</summary>
    public string Encode()
    {
        var bytes = new byte[EncodedLength];
        bytes[0] = FormatVersion;
        ContentId.Digest.CopyTo(bytes.AsSpan(1));
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(1 + ContentId.DigestLength), (ulong)LibraryVersion);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(9 + ContentId.DigestLength), SignedAt.ToUnixTimeMilliseconds());
        Signature.CopyTo(bytes.AsSpan(17 + ContentId.DigestLength));
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>Reads the text form; false for anything that is not exactly one well-formed identifier.</summary>
    public static bool TryDecode(string? text, out LocalSecurityIdentifier identifier)
    {
        identifier = null!;
        if (text is null || text.Length != Base64Url.GetEncodedLength(EncodedLength)) return false;
        var bytes = new byte[EncodedLength];
        if (Base64Url.DecodeFromChars(text, bytes, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != text.Length || written != EncodedLength || bytes[0] != FormatVersion)
            return false;
        var version = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(1 + ContentId.DigestLength));
        var unixMs = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(9 + ContentId.DigestLength));
        if (version > long.MaxValue || unixMs < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || unixMs > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
            return false;
        identifier = new LocalSecurityIdentifier(ContentId.FromDigest(bytes.AsSpan(1, ContentId.DigestLength)), (long)version,
            DateTimeOffset.FromUnixTimeMilliseconds(unixMs), bytes[(17 + ContentId.DigestLength)..]);
        return true;
    }
}
