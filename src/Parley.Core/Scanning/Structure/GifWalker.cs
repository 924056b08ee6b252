using System.Buffers.Binary;

namespace Parley.Core.Scanning.Structure;

/// <summary>
/// Walks a GIF's blocks to its trailer (0x3B): the logical screen and every frame's dimensions are judged
/// from their descriptors (and the frames' pixels summed, against animation bombs), sub-block chains are
/// followed, and bytes after the trailer are a payload.
/// </summary>
internal static class GifWalker
{
    public static void Walk(ByteReader reader, StructureLog log)
    {
        Span<byte> screen = stackalloc byte[13];
        if (!reader.TryRead(screen)) { log.Truncated("the GIF's logical screen descriptor", reader.Position); return; }
        var width = BinaryPrimitives.ReadUInt16LittleEndian(screen[6..]);
        var height = BinaryPrimitives.ReadUInt16LittleEndian(screen[8..]);
        log.Dimensions(width, height, "The GIF's logical screen");
        if (!SkipColourTable(reader, screen[10])) { log.Truncated("the global colour table", reader.Position); return; }
        Span<byte> descriptor = stackalloc byte[9];
        long framePixels = 0;
        var frames = 0;
        var frameTooLarge = false;
        while (true)
        {
            var at = reader.Position;
            if (!reader.TryReadByte(out var introducer)) { log.Truncated("the GIF before its trailer", reader.Position); return; }
            if (introducer == 0x3B) break;
            if (introducer == 0x21)
            {
                if (!reader.TryConsume(1) || !SkipSubBlocks(reader)) { log.Truncated($"the extension at byte {at}", reader.Position); return; }
                continue;
            }
            if (introducer != 0x2C) { log.Malformed($"Byte {at} (0x{introducer:X2}) starts no GIF block."); return; }
            if (!reader.TryRead(descriptor)) { log.Truncated($"the image descriptor at byte {at}", reader.Position); return; }
            var frameWidth = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[4..]);
            var frameHeight = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[6..]);
            frames++;
            framePixels += (long)frameWidth * frameHeight;
            if (!frameTooLarge && (frameWidth > width || frameHeight > height))
                frameTooLarge = !log.Dimensions(frameWidth, frameHeight, $"Frame {frames} of the GIF");
            if (!SkipColourTable(reader, descriptor[8]) || !reader.TryReadByte(out var codeSize) || !SkipSubBlocks(reader))
            {
                log.Truncated($"frame {frames} at byte {at}", reader.Position);
                return;
            }
            if (codeSize is < 2 or > 11) { log.Malformed($"Frame {frames} declares an LZW code size of {codeSize}."); return; }
        }
        if (framePixels > log.Limits.MaxAnimationPixels)
            log.Add(ScanFindingCodes.DimensionsTooLarge, $"The GIF's {frames} frames declare {framePixels} pixels in all; the limit is {log.Limits.MaxAnimationPixels}.");
        if (frames == 0) log.Malformed("The GIF has no frame.");
        var end = reader.Position;
        log.DataAfterEnd("GIF's trailer (0x3B)", end, reader.ConsumeRest());
    }

    /// <summary>The table is present when bit 7 of <paramref name="packed"/> is set, and holds 3 × 2^(size+1) bytes.</summary>
    private static bool SkipColourTable(ByteReader reader, byte packed) =>
        (packed & 0x80) == 0 || reader.TryConsume(3 << ((packed & 0x07) + 1));

    private static bool SkipSubBlocks(ByteReader reader)
    {
        while (true)
        {
            if (!reader.TryReadByte(out var size)) return false;
            if (size == 0) return true;
            if (!reader.TryConsume(size)) return false;
        }
    }
}
