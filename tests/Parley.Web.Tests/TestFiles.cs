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

    /// <summary>
    /// An MP4 (ftyp, moov, then an mdat holding <paramref name="payload"/>) that the first detection passes: the
    /// bytes are any content wrapped as media. '&lt;' and '#' are replaced so random bytes cannot spell the HTML and
    /// script markers the embedded-content search looks for.
    /// </summary>
    public static byte[] Mp4(byte[] payload)
    {
        var body = payload.Select(b => b is (byte)'<' or (byte)'#' ? (byte)' ' : b).ToArray();
        byte[] ftyp = Box("ftyp", [.. "isom"u8, 0, 0, 2, 0, .. "isomiso2mp41"u8]);
        byte[] moov = Box("moov", Box("mvhd", new byte[100]));
        return [.. ftyp, .. moov, .. Box("mdat", body)];
    }

    /// <summary>
    /// A video of exactly <paramref name="size"/> bytes (an MP4 whose mdat is random bytes): what the page's
    /// first detection lets through, for tests about sending large files rather than about pictures.
    /// </summary>
    public static byte[] Video(int size)
    {
        var video = Mp4(RandomNumberGenerator.GetBytes(size - Mp4Overhead));
        return video.Length == size ? video : throw new InvalidOperationException($"A video of {size} bytes came out {video.Length}.");
    }

    /// <summary>The bytes <see cref="Mp4"/> adds around its payload: ftyp (28), moov with mvhd (116), mdat's header (8).</summary>
    private const int Mp4Overhead = 28 + 116 + 8;

    private static byte[] Box(string type, byte[] body)
    {
        var box = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type, box.AsSpan(4));
        body.CopyTo(box, 8);
        return box;
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
