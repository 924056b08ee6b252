using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Core.Scanning.Structure;
using Parley.Testing.Scanning;
using static Parley.Core.Tests.Scanning.FirstDetection;

namespace Parley.Core.Tests.Scanning;

/// <summary>The type rule for files that are not media (docs/scanning.md, "Type") and the audio formats.</summary>
public class AttachmentTypeTests
{
    private static byte[] Sample(string kind) => kind switch
    {
        "text" => MediaSamples.Text,
        "utf16" => MediaSamples.Utf16Text,
        "pdf" => MediaSamples.Pdf,
        "zip" => MediaSamples.ZipOfSeveral(),
        "rar" => [.. "Rar!\x1a\x07\x01\x00"u8, .. new byte[32]],
        "7z" => [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C, 0, 4, .. new byte[32]],
        "gzip" => [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 3, .. new byte[16]],
        "binary" => [1, 2, 3, 4, 5, 6, 7, 8],
        "elf" => MediaSamples.ElfHeader(),
        "pe" => [.. "MZ"u8, .. new byte[60], .. "This program cannot be run in DOS mode."u8],
        "html" => MediaSamples.Html,
        "script" => MediaSamples.ShellScript,
        "png" => MediaSamples.Png(),
        "jpeg" => MediaSamples.Jpeg(),
        "mp4" => MediaSamples.Mp4(),
        "wav" => MediaSamples.Wav(),
        "flac" => MediaSamples.FlacHeader(),
        "ogg" => MediaSamples.OggHeader(),
        "mp3-id3" => MediaSamples.Mp3WithId3(),
        "mp3-frames" => MediaSamples.Mp3Frames(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [InlineData("text", "text/plain", "notes.txt", MediaFormat.Unknown)]
    [InlineData("text", null, "README", MediaFormat.Unknown)]
    [InlineData("utf16", "text/plain", "notes.txt", MediaFormat.Unknown)]
    [InlineData("pdf", "application/pdf", "report.pdf", MediaFormat.Pdf)]
    [InlineData("zip", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "letter.docx", MediaFormat.Zip)]
    [InlineData("zip", "application/zip", "project.zip", MediaFormat.Zip)]
    [InlineData("rar", "application/vnd.rar", "a.rar", MediaFormat.Rar)]
    [InlineData("7z", "application/x-7z-compressed", "a.7z", MediaFormat.SevenZip)]
    [InlineData("gzip", "application/gzip", "a.tar.gz", MediaFormat.Gzip)]
    [InlineData("binary", "application/octet-stream", "data.bin", MediaFormat.Unknown)]
    public void Attachments_have_no_type_finding(string kind, string? mediaType, string name, MediaFormat format)
    {
        var (report, findings) = Run(Sample(kind), mediaType, name);
        Assert.Equal(format, report.Format);
        Assert.True(report.IsAttachment);
        Assert.Empty(findings);
    }

    [Theory]
    [InlineData("elf", "application/pdf", "report.pdf")]
    [InlineData("pe", "application/x-msdownload", "setup.exe")]
    [InlineData("html", "text/plain", "notes.txt")]
    [InlineData("html", "text/html", "page.html")]
    [InlineData("script", "application/x-sh", "run.sh")]
    public void Executables_html_and_scripts_stay_refused_as_attachments(string kind, string mediaType, string name)
    {
        var finding = Assert.Single(StructureChecks.CheckType(Identify(Sample(kind)), mediaType, name));
        Assert.Equal(ScanFindingCodes.TypeMismatch, finding.Code);
        Assert.Contains("Parley does not share executables, HTML pages or scripts", finding.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zip", "image/png", "photo.png", ScanFindingCodes.TypeMismatch)]
    [InlineData("zip", "application/zip", "photo.png", ScanFindingCodes.TypeMismatch)]
    [InlineData("zip", "image/png", "photo", ScanFindingCodes.TypeMismatch)]
    [InlineData("pdf", "application/pdf", "song.mp3", ScanFindingCodes.TypeMismatch)]
    [InlineData("html", "image/jpeg", "cat.jpg", ScanFindingCodes.TypeMismatch)]
    [InlineData("text", "audio/ogg", "voice", ScanFindingCodes.TypeUnknown)]
    [InlineData("utf16", "audio/mpeg", "song.mp3", ScanFindingCodes.TypeUnknown)]
    [InlineData("binary", null, "clip.webm", ScanFindingCodes.TypeUnknown)]
    public void A_file_that_claims_media_must_be_media(string kind, string? mediaType, string name, string code)
    {
        var (report, findings) = Run(Sample(kind), mediaType, name);
        Assert.False(report.IsAttachment);
        Assert.Equal([code], findings.Where(f => f.Detector == StructureChecks.TypeDetector).Select(f => f.Code));
    }

    [Theory]
    [InlineData("wav", MediaFormat.Wav, "audio/wav", "a.wav")]
    [InlineData("wav", MediaFormat.Wav, "audio/x-wav", "a.WAV")]
    [InlineData("wav", MediaFormat.Wav, "audio/vnd.wave", "a.wav")]
    [InlineData("flac", MediaFormat.Flac, "audio/flac", "a.flac")]
    [InlineData("ogg", MediaFormat.Ogg, "audio/ogg", "a.ogg")]
    [InlineData("ogg", MediaFormat.Ogg, "audio/ogg", "a.opus")]
    [InlineData("ogg", MediaFormat.Ogg, "audio/ogg", "a.oga")]
    [InlineData("mp3-id3", MediaFormat.Mp3, "audio/mpeg", "a.mp3")]
    [InlineData("mp3-frames", MediaFormat.Mp3, "audio/mpeg", "a.mp3")]
    [InlineData("mp4", MediaFormat.Mp4, "audio/mp4", "a.m4a")]
    [InlineData("mp4", MediaFormat.Mp4, "audio/x-m4a", "a.m4a")]
    public void Audio_is_media_and_passes_with_its_types_and_extensions(string kind, MediaFormat format, string mediaType, string name)
    {
        var (report, findings) = Run(Sample(kind), mediaType, name);
        Assert.Equal(format, report.Format);
        Assert.False(report.IsAttachment);
        Assert.Empty(findings);
    }

    [Theory]
    [InlineData("wav", "audio/mpeg", "a.wav")]
    [InlineData("mp3-frames", "audio/mpeg", "a.wav")]
    [InlineData("jpeg", "audio/mpeg", "a.mp3")]
    [InlineData("flac", "text/plain", "a.flac")]
    public void Audio_declared_or_named_as_something_else_is_a_type_mismatch(string kind, string mediaType, string name) =>
        Assert.Contains(ScanFindingCodes.TypeMismatch, Codes(Sample(kind), mediaType, name));

    [Fact]
    public void Jpeg_utf16_and_text_are_not_taken_for_mp3_frames()
    {
        Assert.Equal(MediaFormat.Jpeg, Identify(MediaSamples.Jpeg()));
        Assert.Equal(MediaFormat.Unknown, Identify(MediaSamples.Utf16Text));
        Assert.Equal(MediaFormat.Unknown, Identify([0xFF, 0xFF, 0x90, 0x64]));  // layer I
        Assert.Equal(MediaFormat.Unknown, Identify([0xFF, 0xFB, 0xF0, 0x64]));  // bitrate index 15
        Assert.Equal(MediaFormat.Unknown, Identify([0xFF, 0xFB, 0x9C, 0x64]));  // sample rate index 3
        Assert.Equal(MediaFormat.Unknown, Identify([0xFF, 0xEB, 0x90, 0x64]));  // version 01 (reserved)
        Assert.Equal(MediaFormat.Mp3, Identify([0xFF, 0xF3, 0x90, 0x64]));     // MPEG-2 layer III
    }

    [Fact]
    public void Media_bytes_are_checked_as_media_whatever_they_claim()
    {
        byte[] carrier = [.. MediaSamples.Png(), .. MediaSamples.ShellScript];
        var (report, findings) = Run(carrier, null, "picture");
        Assert.False(report.IsAttachment);
        Assert.Equal([ScanFindingCodes.DataAfterEnd, ScanFindingCodes.EmbeddedScript], findings.Select(f => f.Code).Order());
        Assert.Contains(ScanFindingCodes.TypeMismatch, Codes(MediaSamples.Png(), "application/pdf", "scan.pdf"));
    }

    [Fact]
    public async Task An_archive_of_several_entries_has_no_embedded_findings_as_an_attachment_but_has_them_as_a_png()
    {
        var zip = MediaSamples.ZipOfSeveral();
        var inspector = new ContentInspector(FeatureLibrary.Empty);
        var attachment = await inspector.InspectAsync(new MemoryStream(zip), "letter.docx", "application/octet-stream");
        Assert.True(attachment.Passed, string.Join("; ", attachment.Findings.Select(f => f.Detail)));

        var disguised = await inspector.InspectAsync(new MemoryStream(zip), "photo.png", "image/png");
        Assert.Contains(disguised.Findings, f => f.Code == ScanFindingCodes.TypeMismatch);
        Assert.Contains(disguised.Findings, f => f.Code == ScanFindingCodes.EmbeddedArchive);
        Assert.Contains(disguised.Findings, f => f.Code == ScanFindingCodes.EmbeddedHtml);
    }

    [Theory]
    [InlineData("text", "notes.txt", "text/plain", "budget: agreed")]
    [InlineData("zip", "letter.docx", "application/octet-stream", "<w:body>Hello")]
    public async Task The_feature_library_still_applies_to_attachments(string kind, string name, string mediaType, string marker)
    {
        var library = FeatureLibrary.Empty.With([
            new Feature("Test.Bad.Document", "a known bad document",
                new PatternSignature(BytePattern.Parse(Convert.ToHexStringLower(System.Text.Encoding.ASCII.GetBytes(marker))), PatternAnchor.Anywhere)),
        ]);
        var inspection = await new ContentInspector(library).InspectAsync(new MemoryStream(Sample(kind)), name, mediaType);
        Assert.True(inspection.Structure.IsAttachment);
        var finding = Assert.Single(inspection.Findings);
        Assert.Equal((ScanFindingCodes.FeatureMatch, "features"), (finding.Code, finding.Detector));
    }

    private static MediaFormat Identify(byte[] bytes) => FormatSniffer.Identify(bytes);
}
