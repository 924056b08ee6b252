using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Parley.Core.Scanning.Structure;

/// <summary>
/// Walks a PNG's chunks (signature, IHDR first, …, IEND): every chunk's CRC-32 is checked, IHDR's
/// dimensions are judged before anything else is read, and bytes after IEND are a payload. So is the data of every
/// ancillary chunk of a type the PNG specification does not register (a private chunk such as <c>prVt</c>): decoders
/// skip it, so it can carry anything, yet it is valid PNG; the server's detectors judge it and its features match it.
/// </summary>
internal static class PngWalker
{
    private const uint MaxChunkLength = int.MaxValue;

    /// <summary>The registered ancillary chunks (PNG 3rd edition, with APNG's); critical chunks are not payloads either.</summary>
    private static readonly HashSet<string> RegisteredAncillary =
    [
        "bKGD", "cHRM", "cICP", "eXIf", "gAMA", "hIST", "iCCP", "iTXt", "mDCV", "cLLI", "pHYs", "sBIT", "sPLT", "sRGB", "sTER",
        "tEXt", "tIME", "tRNS", "zTXt", "acTL", "fcTL", "fdAT",
    ];

    public static void Walk(ByteReader reader, StructureLog log)
    {
        if (!reader.TryConsume(8)) { log.Truncated("the PNG signature", reader.Position); return; }
        Span<byte> header = stackalloc byte[8];
        Span<byte> stored = stackalloc byte[4];
        var crc = new Crc32();
        var sawImageData = false;
        for (var index = 0; ; index++)
        {
            var start = reader.Position;
            if (!reader.TryRead(header)) { log.Truncated("a chunk header (no IEND)", reader.Position); return; }
            var length = BinaryPrimitives.ReadUInt32BigEndian(header);
            var type = Encoding.ASCII.GetString(header[4..]);
            if (length > MaxChunkLength || type.Any(c => !char.IsAsciiLetter(c)))
            {
                log.Malformed($"The chunk at byte {start} is not a PNG chunk (type '{Printable(header[4..])}', length {length}).");
                return;
            }
            if (index == 0 && (type != "IHDR" || length != 13)) { log.Malformed($"A PNG starts with a 13-byte IHDR chunk, not '{type}' of {length} bytes."); return; }
            crc.Reset();
            crc.Append(header[4..]);
            if (type == "IHDR" && !CheckHeader(reader, log, crc)) return;
            if (type != "IHDR" && !reader.TryConsume(length, crc.Append)) { log.Truncated($"the {type} chunk at byte {start}", reader.Position); return; }
            if (IsUnregisteredAncillary(type)) log.Payload(start + 8, length);
            if (!reader.TryRead(stored)) { log.Truncated($"the CRC of the {type} chunk at byte {start}", reader.Position); return; }
            if (BinaryPrimitives.ReadUInt32BigEndian(stored) != crc.GetCurrentHashAsUInt32())
                log.Malformed($"The {type} chunk at byte {start} has a wrong CRC-32.");
            sawImageData |= type == "IDAT";
            if (type == "IEND") break;
        }
        if (!sawImageData) log.Malformed("The PNG has no IDAT chunk: no image data.");
        var end = reader.Position;
        log.DataAfterEnd("PNG's IEND chunk", end, reader.ConsumeRest());
    }

    /// <summary>Bit 5 of the first letter (lower case) marks an ancillary chunk.</summary>
    private static bool IsUnregisteredAncillary(string type) => char.IsAsciiLetterLower(type[0]) && !RegisteredAncillary.Contains(type);

    /// <summary>IHDR: dimensions judged here, before any image data is read; bit depth and colour type must be a valid pair.</summary>
    private static bool CheckHeader(ByteReader reader, StructureLog log, Crc32 crc)
    {
        Span<byte> ihdr = stackalloc byte[13];
        if (!reader.TryRead(ihdr)) { log.Truncated("the IHDR chunk", reader.Position); return false; }
        crc.Append(ihdr);
        var width = BinaryPrimitives.ReadUInt32BigEndian(ihdr);
        var height = BinaryPrimitives.ReadUInt32BigEndian(ihdr[4..]);
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue)
        {
            log.Malformed($"IHDR declares {width}×{height} pixels; PNG dimensions are 1 to 2^31-1.");
            return false;
        }
        log.Dimensions(width, height, "The PNG's IHDR");
        var (depth, colour) = (ihdr[8], ihdr[9]);
        var valid = colour switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => false,
        };
        if (!valid || ihdr[10] != 0 || ihdr[11] != 0 || ihdr[12] > 1)
            log.Malformed($"IHDR's fields are invalid (bit depth {depth}, colour type {colour}, compression {ihdr[10]}, filter {ihdr[11]}, interlace {ihdr[12]}).");
        return true;
    }

    internal static string Printable(ReadOnlySpan<byte> bytes) =>
        string.Concat(bytes.ToArray().Select(b => b is >= 0x20 and < 0x7F ? ((char)b).ToString() : $"\\x{b:x2}"));
}
