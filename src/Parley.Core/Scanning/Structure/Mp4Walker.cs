using System.Buffers.Binary;

namespace Parley.Core.Scanning.Structure;

/// <summary>
/// Walks the top-level boxes of an MP4/QuickTime file: each box must have a printable type and a size that
/// fits the file, and a playable file has a <c>moov</c> box. Decoding is the server's ffprobe's job.
/// </summary>
internal static class Mp4Walker
{
    public static void Walk(ByteReader reader, StructureLog log)
    {
        Span<byte> header = stackalloc byte[8];
        Span<byte> large = stackalloc byte[8];
        var sawMovie = false;
        while (!reader.AtEnd)
        {
            var at = reader.Position;
            if (!reader.TryRead(header)) { log.Truncated($"the box header at byte {at}", reader.Position); return; }
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = header[4..];
            if (type.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E)) { log.Malformed($"Byte {at} starts no box (type '{PngWalker.Printable(type)}')."); return; }
            var headerLength = 8;
            if (size == 1)
            {
                if (!reader.TryRead(large)) { log.Truncated($"the box header at byte {at}", reader.Position); return; }
                size = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(large), long.MaxValue);
                headerLength = 16;
            }
            sawMovie |= type.SequenceEqual("moov"u8);
            if (size == 0) { reader.ConsumeRest(); break; }
            if (size < headerLength) { log.Malformed($"The box at byte {at} declares {size} bytes, less than its header."); return; }
            if (!reader.TryConsume(size - headerLength)) { log.Truncated($"the '{PngWalker.Printable(type)}' box at byte {at}", reader.Position); return; }
        }
        if (!sawMovie) log.Malformed("The file has no 'moov' box: no movie header.");
    }
}
