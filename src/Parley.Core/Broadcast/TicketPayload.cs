using System.Buffers.Binary;
using System.Text;
using Parley.Core.Transfer;

namespace Parley.Core.Broadcast;

/// <summary>
/// What a broadcast ticket says (SPEC §2, "user signature information"): who may broadcast which
/// picture into which room, until when. <see cref="TicketId"/> is the nonce that makes a ticket
/// single-use. Layout in docs/broadcast.md.
/// </summary>
public sealed record TicketPayload(
    string TicketId,
    string UserId,
    string DeviceId,
    string RoomId,
    ContentId ContentId,
    long Size,
    string MediaType,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt)
{
    public const int TicketIdLength = 16;
    private const int FixedLength = TicketIdLength + 8 + 8 + 8 + ContentId.DigestLength;
    private const int MaxTextLength = 255;

    /// <summary>ticketId(16) | issuedAt ms (8) | expiresAt ms (8) | size (8) | digest (32) | userId | deviceId | roomId | mediaType; text fields are u16 length + UTF-8; integers big-endian.</summary>
    public byte[] Encode()
    {
        var texts = new[] { UserId, DeviceId, RoomId, MediaType }.Select(Encoding.UTF8.GetBytes).ToArray();
        if (texts.Any(t => t.Length > MaxTextLength)) throw new ArgumentException("Ticket text fields are at most 255 bytes.");
        var bytes = new byte[FixedLength + texts.Sum(t => 2 + t.Length)];
        var span = bytes.AsSpan();
        Convert.FromHexString(TicketId).CopyTo(span);
        BinaryPrimitives.WriteInt64BigEndian(span[16..], IssuedAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64BigEndian(span[24..], ExpiresAt.ToUnixTimeMilliseconds());
        BinaryPrimitives.WriteInt64BigEndian(span[32..], Size);
        ContentId.Digest.CopyTo(span[40..]);
        var at = FixedLength;
        foreach (var text in texts)
        {
            BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)text.Length);
            text.CopyTo(span[(at + 2)..]);
            at += 2 + text.Length;
        }
        return bytes;
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, out TicketPayload? payload)
    {
        payload = null;
        if (bytes.Length < FixedLength) return false;
        var texts = new string[4];
        var at = FixedLength;
        for (var i = 0; i < texts.Length; i++)
        {
            if (bytes.Length < at + 2) return false;
            var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[at..]);
            if (length > MaxTextLength || bytes.Length < at + 2 + length) return false;
            texts[i] = Encoding.UTF8.GetString(bytes.Slice(at + 2, length));
            at += 2 + length;
        }
        if (at != bytes.Length) return false;
        payload = new TicketPayload(
            Convert.ToHexStringLower(bytes[..TicketIdLength]), texts[0], texts[1], texts[2],
            ContentId.FromDigest(bytes.Slice(40, ContentId.DigestLength)),
            BinaryPrimitives.ReadInt64BigEndian(bytes[32..]), texts[3],
            DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes[16..])),
            DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(bytes[24..])));
        return true;
    }

    public static string NewTicketId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(TicketIdLength));
}
