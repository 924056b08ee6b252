using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Parley.Testing.Scanning;

/// <summary>
/// Valid pictures of an exact size made of noise, for tests that need content of a given length that every share
/// accepts (the server's second detection decodes it): an 8-bit RGBA PNG of random pixels (four bytes a pixel, so 50 MB
/// stay well under the decoders' pixel limit), stored without
/// compression (so its bytes are as varied as random bytes, for chunking and dedup), padded to the byte with a
/// <c>tEXt</c> comment. Pixels are kept within 0x80-0xBF: no magic number of an archive, executable, document or
/// script (which the embedded-content checks look for) can appear in them by chance.
/// </summary>
public static class NoisePictures
{
    private const int MinWidth = 64;
    private const int BytesPerPixel = 4;
    private const int StoredBlock = 65535;
    private const int TextChunkOverhead = 12 + 8; // length, type, CRC; "Comment\0"

    /// <summary>The smallest picture this makes: one row of pixels and an empty comment.</summary>
    public const int MinLength = 8 + 25 + 12 + 2 + MinWidth * BytesPerPixel + 1 + 5 + 4 + TextChunkOverhead + 12;

    /// <summary>A picture of exactly <paramref name="length"/> bytes of fresh noise.</summary>
    public static byte[] Png(int length) => Png(length, RandomNumberGenerator.GetBytes(length));

    /// <summary>
    /// A picture of exactly <paramref name="length"/> bytes whose pixels come from <paramref name="noise"/> (at least
    /// <paramref name="length"/> bytes): pictures made from noise that differs in a few bytes differ in those pixels only.
    /// </summary>
    public static byte[] Png(int length, ReadOnlySpan<byte> noise)
    {
        if (length < MinLength) throw new ArgumentOutOfRangeException(nameof(length), $"A noise picture is at least {MinLength} bytes.");
        // Roughly square, so that no side is beyond what decoders accept; the same length always gives the same shape.
        var width = Math.Max(MinWidth, (int)Math.Sqrt(length / BytesPerPixel));
        var row = width * BytesPerPixel + 1;
        var rows = Math.Max(1, (length - MinLength) / row + 1);
        while (rows > 1 && FixedSize(rows, row) + TextChunkOverhead > length) rows--;
        var pixels = new byte[rows * row];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = i % row == 0 ? (byte)0 : (byte)(0x80 | noise[i % noise.Length] & 0x3F);
        var padding = length - FixedSize(rows, row) - TextChunkOverhead;
        byte[] comment = [.. "Comment\0"u8, .. Enumerable.Repeat((byte)'n', padding)];
        byte[] ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), rows);
        (ihdr[8], ihdr[9]) = (8, 6); // 8 bits, colour type 6 (RGBA); deflate, no filter method, no interlace
        byte[] png = [.. MediaSamples.PngSignature, .. MediaSamples.Chunk("IHDR", ihdr), .. MediaSamples.Chunk("tEXt", comment),
            .. MediaSamples.Chunk("IDAT", Stored(pixels)), .. MediaSamples.Chunk("IEND", [])];
        return png.Length == length ? png : throw new InvalidOperationException($"Made {png.Length} bytes, not {length}.");
    }

    /// <summary>Writes a fresh <see cref="Png(int)"/> of at least <paramref name="length"/> bytes to <paramref name="path"/> and returns its bytes.</summary>
    public static byte[] WritePng(string path, int length)
    {
        var content = Png(Math.Max(length, MinLength));
        File.WriteAllBytes(path, content);
        return content;
    }

    /// <summary>The picture's size without the comment's padding.</summary>
    private static int FixedSize(int rows, int row)
    {
        var raw = rows * row;
        return 8 + 25 + 12 + 2 + raw + 5 * ((raw + StoredBlock - 1) / StoredBlock) + 4 + 12;
    }

    /// <summary>A zlib stream of stored (uncompressed) deflate blocks.</summary>
    private static byte[] Stored(byte[] raw)
    {
        using var zlib = new MemoryStream();
        zlib.Write([0x78, 0x01]);
        Span<byte> header = stackalloc byte[4];
        for (var offset = 0; offset < raw.Length; offset += StoredBlock)
        {
            var length = Math.Min(StoredBlock, raw.Length - offset);
            zlib.WriteByte(offset + length == raw.Length ? (byte)1 : (byte)0);
            BinaryPrimitives.WriteUInt16LittleEndian(header, (ushort)length);
            BinaryPrimitives.WriteUInt16LittleEndian(header[2..], (ushort)~length);
            zlib.Write(header);
            zlib.Write(raw, offset, length);
        }
        BinaryPrimitives.WriteUInt32BigEndian(header, Adler32(raw));
        zlib.Write(header);
        return zlib.ToArray();
    }

    private static uint Adler32(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (var d in data)
        {
            a = (a + d) % 65521;
            b = (b + a) % 65521;
        }
        return b << 16 | a;
    }
}
