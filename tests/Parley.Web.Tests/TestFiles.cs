using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Web.Tests;

/// <summary>Files for the page to send, made in the test so that their bytes are known exactly.</summary>
public static class TestFiles
{
    /// <summary>
    /// A valid PNG (8-bit RGB, no filtering) of a colour gradient; <paramref name="seed"/> shifts the
    /// colours, so two seeds give two different contents.
    /// </summary>
    public static byte[] Png(int width, int height, int seed = 0)
    {
        var pixels = new MemoryStream();
        for (var y = 0; y < height; y++)
        {
            pixels.WriteByte(0); // filter type: none
            for (var x = 0; x < width; x++)
            {
                pixels.WriteByte((byte)(80 + 140 * x / width + seed));
                pixels.WriteByte((byte)(60 + 120 * y / height));
                pixels.WriteByte((byte)(200 - 90 * x / width + 7 * seed));
            }
        }
        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write(pixels.ToArray());

        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bits per channel
        header[9] = 2; // truecolour (RGB)

        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        WriteChunk(png, "IHDR", header);
        WriteChunk(png, "IDAT", compressed.ToArray());
        WriteChunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>The PNG with one more chunk right after IHDR (e.g. a private ancillary chunk such as <c>prVt</c>).</summary>
    public static byte[] WithChunk(byte[] png, string type, byte[] data)
    {
        var chunk = new MemoryStream();
        WriteChunk(chunk, type, data);
        const int afterHeader = 8 + 12 + 13;
        return [.. png[..afterHeader], .. chunk.ToArray(), .. png[afterHeader..]];
    }

    private static void WriteChunk(Stream png, string type, byte[] data)
    {
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeAndData));
        png.Write(number);
    }

    /// <summary>CRC-32 (ISO-HDLC) as PNG's chunks use it.</summary>
    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
