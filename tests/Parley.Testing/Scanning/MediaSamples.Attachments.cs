using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Parley.Testing.Scanning;

/// <summary>Attachments (documents, archives, text) and audio for the type rule, made in code like the pictures.</summary>
public static partial class MediaSamples
{
    public static byte[] Text => "Meeting notes\n- budget: agreed\n- next: Tuesday\n"u8.ToArray();

    /// <summary>The same kind of text in UTF-16 LE with its byte order mark FF FE, which must not pass for an MP3 frame sync.</summary>
    public static byte[] Utf16Text => [0xFF, 0xFE, .. Encoding.Unicode.GetBytes("Meeting notes\n")];

    /// <summary>A minimal one-page PDF.</summary>
    public static byte[] Pdf => """
        %PDF-1.4
        1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
        2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
        3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj
        trailer << /Root 1 0 R >>
        %%EOF

        """u8.ToArray();

    /// <summary>
    /// An office document's shape: a ZIP of several stored (uncompressed) entries, among them a picture, a nested
    /// archive and a script, as a .docx or a project archive legitimately holds.
    /// </summary>
    public static byte[] ZipOfSeveral()
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] data)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                entry.Write(data);
            }
            Add("[Content_Types].xml", "<?xml version=\"1.0\"?><Types/>"u8.ToArray());
            Add("word/document.xml", "<w:document><w:body>Hello</w:body></w:document>"u8.ToArray());
            Add("word/media/image1.png", Png());
            Add("attachments/old.zip", Zip());
            Add("web/page.html", Html);
        }
        return memory.ToArray();
    }

    /// <summary>A PCM WAV (mono, 16 bits, 8 kHz) of <paramref name="samples"/> samples of a square wave.</summary>
    public static byte[] Wav(int samples = 800)
    {
        var wav = new byte[44 + samples * 2];
        "RIFF"u8.CopyTo(wav);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(4), (uint)(wav.Length - 8));
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(20), 1); // PCM
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(22), 1); // mono
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(24), 8000);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(28), 16000);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(32), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(34), 16);
        "data"u8.CopyTo(wav.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), (uint)(samples * 2));
        for (var i = 0; i < samples; i++) BinaryPrimitives.WriteInt16LittleEndian(wav.AsSpan(44 + i * 2), (short)(i / 20 % 2 == 0 ? 8000 : -8000));
        return wav;
    }

    /// <summary>A FLAC stream's marker and STREAMINFO block (header only: enough for the type check).</summary>
    public static byte[] FlacHeader() => [.. "fLaC"u8, 0x80, 0, 0, 34, 0x10, 0, 0x10, 0, .. new byte[30]];

    /// <summary>An Ogg page header (capture pattern, version 0, beginning of stream).</summary>
    public static byte[] OggHeader() => [.. "OggS"u8, 0, 2, .. new byte[20], 1, 30, .. "\x01vorbis"u8, .. new byte[23]];

    /// <summary>An MP3 that starts with an ID3v2 tag.</summary>
    public static byte[] Mp3WithId3() => [.. "ID3"u8, 4, 0, 0, 0, 0, 0, 0, .. Mp3Frames()];

    /// <summary>Bare MPEG-1 layer III frame headers (FF FB: 128 kbit/s, 44.1 kHz) with silent frames, no tag.</summary>
    public static byte[] Mp3Frames() => [.. Enumerable.Range(0, 3).SelectMany(_ => (byte[])[0xFF, 0xFB, 0x90, 0x64, .. new byte[413]])];
}
