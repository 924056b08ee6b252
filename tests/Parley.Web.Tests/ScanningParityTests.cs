using System.Security.Cryptography;
using System.Text.Json;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Testing.Scanning;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>
/// The page's first detection (web/js/scanning) against the C# <see cref="ContentInspector"/> on the scanning
/// corpus (<see cref="MediaSamples"/>, clean and malicious variants) with a library of hash and pattern features:
/// the same findings (code, detector and sentence) and the same payload ranges on every file, so a file the page
/// lets through is one the .NET client and the server's first pass let through too.
/// </summary>
public sealed class ScanningParityTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private static readonly byte[] JpegWithZip = [.. MediaSamples.Jpeg(), .. MediaSamples.Zip()];

    private static string Library() => $$"""
        parley-features 1
        version 4
        feature 1 Test.Shell.Payload payload-sha256 {{Hex(MediaSamples.ShellScript)}}:{{MediaSamples.ShellScript.Length}} A shell script hidden after a picture
        feature 1 Test.Known.File file-sha256 {{Hex(JpegWithZip)}}:* A file seen in an attack
        feature 2 Test.Php bytes any 3c3f706870 PHP code
        feature 2 Test.Evil.Gap bytes any 6576696c{0-8}696e76616c6964 An evil host, with a gap
        feature 3 Test.Elf.Start bytes start+0 7f454c46 An ELF executable
        feature 3 Test.Zip.End bytes eof-22 504b0506 A ZIP directory 22 bytes before the end
        feature 4 Test.Shebang.Star bytes any 2321*6375726c A shell script that runs curl
        feature 4 Test.Any.Byte bytes any 6a??6d6d A byte pattern with any-byte
        """;

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>(name, file name, declared media type or null, bytes)</summary>
    public static IEnumerable<(string Name, string FileName, string? MediaType, byte[] Bytes)> Corpus()
    {
        var png = MediaSamples.Png();
        yield return ("clean png", "a.png", "image/png", png);
        yield return ("clean jpeg", "a.jpg", "image/jpeg", MediaSamples.Jpeg());
        yield return ("jpeg with exif thumbnail", "a.jpeg", "image/jpg", MediaSamples.JpegWithThumbnail());
        yield return ("clean gif", "a.gif", "image/gif", MediaSamples.Gif());
        yield return ("clean webp", "a.webp", "image/webp", MediaSamples.WebP());
        yield return ("clean svg", "a.svg", "image/svg+xml", MediaSamples.Svg());
        yield return ("clean mp4", "a.mp4", "video/mp4", MediaSamples.Mp4());
        yield return ("clean quicktime", "a.mov", "video/quicktime", MediaSamples.Mp4("qt  "));
        yield return ("png + shell script", "a.png", "image/png", [.. png, .. MediaSamples.ShellScript]);
        yield return ("png + php", "a.png", "image/png", [.. png, .. "<?php system($_GET['c']); ?>"u8]);
        yield return ("jpeg + zip", "a.jpg", "image/jpeg", JpegWithZip);
        yield return ("gif + html", "a.gif", null, [.. MediaSamples.Gif(), .. MediaSamples.Html]);
        yield return ("webp + elf", "a.webp", "image/webp", [.. MediaSamples.WebP(), .. MediaSamples.ElfHeader()]);
        yield return ("png pixel flood", "a.png", "image/png", MediaSamples.PngClaiming(60000, 60000));
        yield return ("jpeg pixel flood", "a.jpg", "image/jpeg", MediaSamples.JpegClaiming(65000, 65000));
        yield return ("gif frame beyond screen", "a.gif", "image/gif", MediaSamples.Gif(1, 1, 30000, 30000));
        yield return ("webp canvas flood", "a.webp", "image/webp", MediaSamples.WebPClaiming(30000, 30000));
        yield return ("truncated png", "a.png", "image/png", png[..50]);
        yield return ("truncated jpeg", "a.jpg", "image/jpeg", MediaSamples.Jpeg()[..200]);
        yield return ("png with a wrong crc", "a.png", "image/png", Flip(png, 30));
        yield return ("svg with script", "a.svg", "image/svg+xml", MediaSamples.Svg("<script>alert(1)</script>"));
        yield return ("svg with handler and link", "a.svg", null, MediaSamples.Svg("<rect onload=\"x()\"/><image href=\"https://evil.invalid/x.png\"/>"));
        yield return ("svg with foreign object", "a.svg", null, MediaSamples.Svg("<foreignObject><p>hi</p></foreignObject><style>@import url(//x)</style>"));
        yield return ("zip named png", "photo.png", "image/png", MediaSamples.Zip());
        yield return ("elf named jpg", "cat.jpg", "image/jpeg", MediaSamples.ElfHeader());
        yield return ("html named png", "page.png", "image/png", MediaSamples.Html);
        yield return ("shell script", "run.png", null, MediaSamples.ShellScript);
        yield return ("png named exe", "photo.png.exe", "image/png", png);
        yield return ("png declared jpeg", "photo.png", "image/jpeg", png);
        yield return ("unknown bytes", "notes.png", "image/png", "just some words"u8.ToArray());
        yield return ("mp4 without moov", "a.mp4", "video/mp4", [.. MediaSamples.Box("ftyp", [.. "isom"u8, 0, 0, 2, 0]), .. MediaSamples.Box("mdat", new byte[40])]);
        yield return ("truncated mp4", "a.mp4", "video/mp4", MediaSamples.Mp4()[..60]);
        yield return ("mp4 + jammy bytes", "a.mp4", "video/mp4", [.. MediaSamples.Mp4(), .. MediaSamples.Box("free", "#!/bin/jammy curl"u8.ToArray())]);
        yield return ("empty file", "a.png", "image/png", []);
        // The type rule for files that are not media, and audio: names starting "pass:" must pass; "features only:" (a ZIP
        // matches Test.Zip.End) must have feature findings and nothing else, no embedded content.
        yield return ("pass: text attachment", "notes.txt", "text/plain", MediaSamples.Text);
        yield return ("pass: utf-16 text attachment", "notes.txt", "text/plain", MediaSamples.Utf16Text);
        yield return ("pass: pdf attachment", "report.pdf", "application/pdf", MediaSamples.Pdf);
        yield return ("features only: docx-like zip of several entries", "letter.docx", "application/octet-stream", MediaSamples.ZipOfSeveral());
        yield return ("features only: zip attachment, no type", "project.zip", null, MediaSamples.Zip());
        yield return ("pass: wav", "a.wav", "audio/x-wav", MediaSamples.Wav());
        yield return ("pass: flac", "a.flac", "audio/flac", MediaSamples.FlacHeader());
        yield return ("pass: ogg", "a.opus", "audio/ogg", MediaSamples.OggHeader());
        yield return ("pass: mp3 with id3", "a.mp3", "audio/mpeg", MediaSamples.Mp3WithId3());
        yield return ("pass: mp3 frames", "a.mp3", "audio/mpeg", MediaSamples.Mp3Frames());
        yield return ("pass: m4a", "a.m4a", "audio/x-m4a", MediaSamples.Mp4());
        yield return ("elf named report.pdf", "report.pdf", "application/pdf", MediaSamples.ElfHeader());
        yield return ("html named notes.txt", "notes.txt", "text/plain", MediaSamples.Html);
        yield return ("zip of several named png", "photo.png", "image/png", MediaSamples.ZipOfSeveral());
        yield return ("pdf named mp3", "song.mp3", "audio/mpeg", MediaSamples.Pdf);
        yield return ("text declared audio", "voice", "audio/ogg", MediaSamples.Text);
        yield return ("utf-16 text named mp3", "song.mp3", null, MediaSamples.Utf16Text);
        yield return ("wav declared mpeg", "a.wav", "audio/mpeg", MediaSamples.Wav());
        yield return ("png + script, no name or type", "picture", null, [.. png, .. MediaSamples.ShellScript]);
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = bytes.ToArray();
        copy[at] ^= 0xFF;
        return copy;
    }

    [Fact]
    public Task The_page_finds_what_the_dotnet_inspector_finds_on_every_sample() => RunAsync(async () =>
    {
        var page = await OpenAsync("parity");
        var library = Library();
        var corpus = Corpus().ToList();
        var inspector = new ContentInspector(FeatureText.ParseLibrary(library));

        var results = await page.Page.EvaluateAsync<JsonElement>("""
            async ({ library, files }) => {
              const { parseLibrary } = await import('/js/scanning/feature-text.js');
              const { compileMatcher } = await import('/js/scanning/matcher.js');
              const { inspectFile } = await import('/js/scanning/inspect.js');
              const matcher = compileMatcher(parseLibrary(library));
              const out = [];
              for (const { fileName, mediaType, base64 } of files) {
                const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
                out.push(await inspectFile(new Blob([bytes]), matcher, { declaredMediaType: mediaType ?? undefined, fileName }));
              }
              return out;
            }
            """, new { library, files = corpus.Select(c => new { fileName = c.FileName, mediaType = c.MediaType, base64 = Convert.ToBase64String(c.Bytes) }) });

        var mismatches = new List<string>();
        var findingsSeen = new HashSet<string>();
        for (var i = 0; i < corpus.Count; i++)
        {
            var (name, fileName, mediaType, bytes) = corpus[i];
            var expected = await inspector.InspectAsync(new MemoryStream(bytes), fileName, mediaType);
            var actual = results[i];
            var expectedFindings = expected.Findings.Select(f => $"{f.Code} [{f.Detector}] {f.Detail}").ToList();
            var actualFindings = actual.GetProperty("findings").EnumerateArray()
                .Select(f => $"{f.GetProperty("code").GetString()} [{f.GetProperty("detector").GetString()}] {f.GetProperty("detail").GetString()}").ToList();
            var expectedPayloads = expected.Structure.Payloads.Select(p => $"{p.Start}+{p.Length}").ToList();
            var actualPayloads = actual.GetProperty("payloads").EnumerateArray().Select(p => $"{p.GetProperty("start").GetInt64()}+{p.GetProperty("length").GetInt64()}").ToList();
            if (!expectedFindings.SequenceEqual(actualFindings))
                mismatches.Add($"{name}: C# [{string.Join(" | ", expectedFindings)}] JS [{string.Join(" | ", actualFindings)}]");
            if (!expectedPayloads.SequenceEqual(actualPayloads))
                mismatches.Add($"{name}: payloads C# [{string.Join(", ", expectedPayloads)}] JS [{string.Join(", ", actualPayloads)}]");
            if (actual.GetProperty("format").GetString() != expected.Structure.Format.ToString().ToLowerInvariant())
                mismatches.Add($"{name}: format {actual.GetProperty("format").GetString()} ≠ {expected.Structure.Format}");
            if ((name.StartsWith("pass:", StringComparison.Ordinal) && !expected.Passed)
                || (name.StartsWith("features only:", StringComparison.Ordinal) && (expected.Passed || expected.Findings.Any(f => f.Code != ScanFindingCodes.FeatureMatch))))
                mismatches.Add($"{name}: C# found [{string.Join(", ", expected.Findings.Select(f => f.Code))}], not what the sample's name says");
            if (actual.GetProperty("contentId").GetString() != expected.ContentId.ToString())
                mismatches.Add($"{name}: content id {actual.GetProperty("contentId").GetString()} ≠ {expected.ContentId}");
            findingsSeen.UnionWith(expected.Findings.Select(f => f.Code));
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        // The corpus exercises every first-detection code, so the comparison above covers each of them.
        Assert.Subset(findingsSeen, new HashSet<string>
        {
            ScanFindingCodes.TypeMismatch, ScanFindingCodes.TypeUnknown, ScanFindingCodes.DataAfterEnd, ScanFindingCodes.EmbeddedArchive,
            ScanFindingCodes.EmbeddedExecutable, ScanFindingCodes.EmbeddedHtml, ScanFindingCodes.EmbeddedScript, ScanFindingCodes.SvgScript,
            ScanFindingCodes.SvgExternalReference, ScanFindingCodes.DimensionsTooLarge, ScanFindingCodes.StructureTruncated,
            ScanFindingCodes.StructureMalformed, ScanFindingCodes.FeatureMatch,
        });
        Assert.Contains(corpus.Zip(results.EnumerateArray()), pair => pair.Second.GetProperty("passed").GetBoolean());
    });
}
