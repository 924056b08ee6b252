using System.Buffers.Binary;
using System.Text;

namespace Parley.Core.Scanning.Structure;

/// <summary>
/// Walks a WebP's RIFF container: the RIFF size must cover the file (bytes beyond it are a payload, fewer
/// is a truncation), chunks must fit in it, and the canvas size of VP8X, or the frame size of VP8/VP8L,
/// is judged when read.
/// </summary>
internal static class WebPWalker
{
    public static void Walk(ByteReader reader, StructureLog log)
    {
        Span<byte> riff = stackalloc byte[12];
        if (!reader.TryRead(riff)) { log.Truncated("the RIFF header", reader.Position); return; }
        var end = 8L + BinaryPrimitives.ReadUInt32LittleEndian(riff[4..]);
        Span<byte> header = stackalloc byte[8];
        var sized = false;
        while (reader.Position < end)
        {
            var at = reader.Position;
            if (!reader.TryRead(header)) { log.Truncated($"the chunk header at byte {at}", reader.Position); return; }
            var type = Encoding.ASCII.GetString(header[..4]);
            var length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            var padded = length + (length & 1);
            if (at + 8 + padded > end) { log.Malformed($"The {PngWalker.Printable(header[..4])} chunk at byte {at} runs past the RIFF size ({end} bytes)."); return; }
            var body = reader.PeekSpan((int)Math.Min(length, 16));
            if (!sized && type is "VP8 " or "VP8L" or "VP8X")
            {
                if (!CheckSize(type, body, log)) return;
                sized = true;
            }
            if (!reader.TryConsume(padded)) { log.Truncated($"the {type} chunk at byte {at}", reader.Position); return; }
        }
        if (!sized) log.Malformed("The WebP has no VP8, VP8L or VP8X chunk.");
        log.DataAfterEnd("WebP's RIFF size", end, reader.ConsumeRest());
    }

    private static bool CheckSize(string type, ReadOnlySpan<byte> body, StructureLog log)
    {
        (long Width, long Height)? size = type switch
        {
            "VP8X" when body.Length >= 10 => (1 + (body[4] | body[5] << 8 | body[6] << 16), 1 + (body[7] | body[8] << 8 | body[9] << 16)),
            "VP8L" when body.Length >= 5 && body[0] == 0x2F =>
                (1 + (BinaryPrimitives.ReadUInt32LittleEndian(body[1..]) & 0x3FFF), 1 + (BinaryPrimitives.ReadUInt32LittleEndian(body[1..]) >> 14 & 0x3FFF)),
            "VP8 " when body.Length >= 10 && body[3..6].SequenceEqual<byte>([0x9D, 0x01, 0x2A]) =>
                (BinaryPrimitives.ReadUInt16LittleEndian(body[6..]) & 0x3FFF, BinaryPrimitives.ReadUInt16LittleEndian(body[8..]) & 0x3FFF),
            _ => null,
        };
        if (size is not { } s) { log.Malformed($"The {type.Trim()} chunk's header is not valid."); return false; }
        log.Dimensions(s.Width, s.Height, $"The WebP's {type.Trim()} header");
        return true;
    }
}
