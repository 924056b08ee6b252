using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Parley.Testing.Scanning;

/// <summary>
/// Content no server has seen that is still a real picture, for tests of sharing (every share is scanned, and random
/// bytes are no media): a PNG of random RGBA pixels, stored uncompressed (zlib stored blocks), so the file is as
/// unique and incompressible as random bytes, any size, and every decoder accepts it.
/// </summary>
public static class NoisePictures
{
    private const int Width = 1024;
    private const int RowBytes = 1 + 4 * Width; // filter byte + RGBA

    /// <summary>A noise PNG of at least <paramref name="approximateLength"/> bytes (a row, 4 KiB, more at most).</summary>
    public static byte[] Png(int approximateLength)
    {
        var height = Math.Max(1, (approximateLength + RowBytes - 1) / RowBytes);
        var rows = RandomNumberGenerator.GetBytes(height * RowBytes);
        for (var row = 0; row < height; row++) rows[row * RowBytes] = 0; // filter: none
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.NoCompression, leaveOpen: true)) zlib.Write(rows);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, Width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        (ihdr[8], ihdr[9]) = (8, 6); // 8 bits, RGBA
        return [.. MediaSamples.PngSignature, .. MediaSamples.Chunk("IHDR", ihdr), .. MediaSamples.Chunk("IDAT", compressed.ToArray()), .. MediaSamples.Chunk("IEND", [])];
    }

    /// <summary>Writes <see cref="Png"/> to <paramref name="path"/> and returns its bytes.</summary>
    public static byte[] WritePng(string path, int approximateLength)
    {
        var content = Png(approximateLength);
        File.WriteAllBytes(path, content);
        return content;
    }
}
