using System.Buffers.Binary;
using System.Text;

namespace Parley.Core.Scanning.Structure;

/// <summary>Tells a file's format from its first bytes (magic numbers; for text, the first element).</summary>
public static class FormatSniffer
{
    /// <summary>How many first bytes <see cref="Identify"/> looks at.</summary>
    public const int HeadLength = 4096;

    public static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    public static MediaFormat Identify(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith(PngSignature)) return MediaFormat.Png;
        if (Starts(head, 0xFF, 0xD8, 0xFF)) return MediaFormat.Jpeg;
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8)) return MediaFormat.Gif;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8)) return MediaFormat.WebP;
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8)) return head[8..12].SequenceEqual("qt  "u8) ? MediaFormat.QuickTime : MediaFormat.Mp4;
        if (head.Length >= 8 && (head[4..8].SequenceEqual("moov"u8) || head[4..8].SequenceEqual("mdat"u8) || head[4..8].SequenceEqual("wide"u8))) return MediaFormat.QuickTime;
        if (Starts(head, 0x1A, 0x45, 0xDF, 0xA3)) return MediaFormat.WebM;
        if (head.StartsWith("OggS"u8)) return MediaFormat.Ogg;
        if (head.StartsWith("fLaC"u8)) return MediaFormat.Flac;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8)) return MediaFormat.Wav;
        if (head.StartsWith("ID3"u8) || IsMp3FrameHeader(head)) return MediaFormat.Mp3;
        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8)) return MediaFormat.Zip;
        if (head.StartsWith("Rar!\x1a\x07"u8)) return MediaFormat.Rar;
        if (Starts(head, 0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C)) return MediaFormat.SevenZip;
        if (Starts(head, 0x1F, 0x8B, 0x08)) return MediaFormat.Gzip;
        if (Starts(head, 0x7F, (byte)'E', (byte)'L', (byte)'F')) return MediaFormat.Elf;
        if (head.StartsWith("MZ"u8)) return MediaFormat.Pe;
        if (head.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(head) is 0xFEEDFACE or 0xFEEDFACF or 0xCEFAEDFE or 0xCFFAEDFE) return MediaFormat.MachO;
        if (head.StartsWith("%PDF-"u8)) return MediaFormat.Pdf;
        return IdentifyText(head);
    }

    /// <summary>
    /// An MPEG audio Layer III frame header at byte 0: 11 sync bits, a version that is not reserved, layer III, a
    /// bitrate index that is neither free (0) nor invalid (15), a sample rate index that is not reserved. Requiring
    /// layer III keeps out JPEG (<c>FF D8</c>) and UTF-16 text (byte order mark <c>FF FE</c>, which reads as layer I).
    /// </summary>
    private static bool IsMp3FrameHeader(ReadOnlySpan<byte> head) =>
        head.Length >= 3 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] >> 3 & 3) != 1 && (head[1] >> 1 & 3) == 1
        && (head[2] >> 4) is not 0 and not 15 && (head[2] >> 2 & 3) != 3;

    private static bool Starts(ReadOnlySpan<byte> head, params ReadOnlySpan<byte> magic) => head.StartsWith(magic);

    /// <summary>Text formats by their first element, after a byte order mark, white space, an XML declaration, comments and a doctype.</summary>
    private static MediaFormat IdentifyText(ReadOnlySpan<byte> head)
    {
        if (Starts(head, 0xEF, 0xBB, 0xBF)) head = head[3..];
        var text = Encoding.Latin1.GetString(head).TrimStart().ToLowerInvariant();
        if (text.StartsWith("#!", StringComparison.Ordinal) || text.StartsWith("<?php", StringComparison.Ordinal)) return MediaFormat.Script;
        while (true)
        {
            if (text.StartsWith("<?xml", StringComparison.Ordinal)) text = After(text, "?>");
            else if (text.StartsWith("<!--", StringComparison.Ordinal)) text = After(text, "-->");
            else if (text.StartsWith("<!doctype svg", StringComparison.Ordinal))
                text = After(text, text.IndexOf('[') is var open and >= 0 && open < text.IndexOf('>') ? "]>" : ">");
            else break;
        }
        if (text.StartsWith("<svg", StringComparison.Ordinal)) return MediaFormat.Svg;
        string[] html = ["<!doctype html", "<html", "<head", "<body", "<script", "<iframe"];
        return html.Any(tag => text.StartsWith(tag, StringComparison.Ordinal)) ? MediaFormat.Html : MediaFormat.Unknown;
    }

    private static string After(string text, string end) =>
        text.IndexOf(end, StringComparison.Ordinal) is var at and >= 0 ? text[(at + end.Length)..].TrimStart() : "";
}
