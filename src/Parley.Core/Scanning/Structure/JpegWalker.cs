using System.Buffers.Binary;

namespace Parley.Core.Scanning.Structure;

/// <summary>
/// Walks a JPEG's markers from SOI to EOI: each segment is skipped by its length (so a thumbnail inside
/// an APP1/Exif segment, with its own SOI and EOI, never ends the walk early), SOFn's dimensions are
/// judged when read, and entropy-coded data after SOS is scanned for the next marker. Bytes after EOI
/// are a payload.
/// </summary>
internal static class JpegWalker
{
    private const byte Eoi = 0xD9;
    private const byte Sos = 0xDA;

    public static void Walk(ByteReader reader, StructureLog log)
    {
        if (!reader.TryConsume(2)) { log.Truncated("the JPEG's SOI marker", reader.Position); return; }
        var sawFrame = false;
        while (true)
        {
            var at = reader.Position;
            if (!ReadMarker(reader, out var marker)) { log.Truncated("the JPEG before its EOI marker", reader.Position); return; }
            if (marker == Eoi) break;
            if (marker is >= 0xD0 and <= 0xD7 or 0x01) continue;
            if (marker is 0xD8 or 0x00)
            {
                log.Malformed(marker == 0x00 ? $"Expected a marker at byte {at}." : $"A second SOI marker at byte {at}.");
                return;
            }
            if (!reader.TryReadUInt16BigEndian(out var length) || length < 2)
            {
                if (reader.AtEnd) log.Truncated($"the segment of marker 0xFF{marker:X2} at byte {at}", reader.Position);
                else log.Malformed($"The segment of marker 0xFF{marker:X2} at byte {at} has length {length}.");
                return;
            }
            if (IsFrameHeader(marker))
            {
                if (!CheckFrame(reader, log, length)) return;
                sawFrame = true;
            }
            else if (!reader.TryConsume(length - 2)) { log.Truncated($"the segment of marker 0xFF{marker:X2} at byte {at}", reader.Position); return; }
            if (marker != Sos) continue;
            if (!sawFrame) { log.Malformed($"Scan data starts at byte {at} before any frame header (SOFn)."); return; }
            if (!SkipEntropyCodedData(reader)) { log.Truncated("the scan data before its EOI marker", reader.Position); return; }
        }
        if (!sawFrame) log.Malformed("The JPEG has no frame header (SOFn): no image.");
        var end = reader.Position;
        log.DataAfterEnd("JPEG's EOI marker", end, reader.ConsumeRest());
    }

    /// <summary>SOF0-15 except DHT (C4), JPG (C8) and DAC (CC).</summary>
    private static bool IsFrameHeader(byte marker) => marker is >= 0xC0 and <= 0xCF and not (0xC4 or 0xC8 or 0xCC);

    /// <summary>Reads 0xFF (and fill bytes) then the marker code.</summary>
    private static bool ReadMarker(ByteReader reader, out byte marker)
    {
        marker = 0;
        if (!reader.TryReadByte(out var first)) return false;
        if (first != 0xFF)
        {
            marker = 0x00;
            return true;
        }
        do
        {
            if (!reader.TryReadByte(out marker)) return false;
        } while (marker == 0xFF);
        return true;
    }

    private static bool CheckFrame(ByteReader reader, StructureLog log, ushort length)
    {
        Span<byte> frame = stackalloc byte[6];
        if (length < 8 || !reader.TryRead(frame)) { log.Truncated("a frame header (SOFn)", reader.Position); return false; }
        var height = BinaryPrimitives.ReadUInt16BigEndian(frame[1..]);
        var width = BinaryPrimitives.ReadUInt16BigEndian(frame[3..]);
        if (width == 0) { log.Malformed("The JPEG's frame header declares a width of 0."); return false; }
        log.Dimensions(width, height, "The JPEG's frame header");
        if (!reader.TryConsume(length - 8)) { log.Truncated("a frame header (SOFn)", reader.Position); return false; }
        return true;
    }

    /// <summary>Skips scan data up to the next marker that is not a stuffed byte (FF00) or a restart (FFD0-D7), leaving it unread.</summary>
    private static bool SkipEntropyCodedData(ByteReader reader)
    {
        while (reader.SkipUntil(0xFF))
        {
            var next = reader.PeekSpan(2);
            if (next.Length < 2) return false;
            if (next[1] is 0x00 or >= 0xD0 and <= 0xD7) reader.TryConsume(2);
            else if (next[1] == 0xFF) reader.TryConsume(1);
            else return true;
        }
        return false;
    }
}
