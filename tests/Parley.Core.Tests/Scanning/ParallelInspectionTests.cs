using System.Security.Cryptography;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Core.Tests.Transfer;
using Parley.Core.Transfer;
using Parley.Testing.Scanning;

namespace Parley.Core.Tests.Scanning;

/// <summary>
/// The first detection on two cores (<see cref="ContentInspector.InspectAsync(Stream, string, string?, CancellationToken)"/>) finds exactly what the one-thread
/// pass (<see cref="ContentPass.Feed"/>) finds, with the same content id: patterns straddling segment boundaries,
/// payloads at the very end, tiny files.
/// </summary>
public sealed class ParallelInspectionTests
{
    private const int Segment = FastCdc.MaxSize;

    internal static readonly byte[] Payload = "#!/bin/sh\necho owned\n"u8.ToArray();

    internal static FeatureLibrary Library(byte[]? wholeFile = null)
    {
        var lines = new List<string>
        {
            "Across bytes any 0badc0ffee0ddf00d5 straddles",
            "Split bytes any 5eed5eed*f00dfeed in two parts",
            "Tail bytes eof-6 7a7a7a7a7a7a at the end",
            "Head bytes start+0 89504e47 a png",
            $"Trailer payload-sha256 {Convert.ToHexStringLower(SHA256.HashData(Payload))}:{Payload.Length} script after the end",
        };
        if (wholeFile is not null) lines.Add($"Whole file-sha256 {Convert.ToHexStringLower(SHA256.HashData(wholeFile))}:* known file");
        return FeatureText.ParseLibrary($"parley-features 1\nversion 1\n{string.Join('\n', lines.Select(l => "feature 1 " + l))}");
    }

    /// <summary>A PNG followed by random bytes with markers planted around segment boundaries, ending with <paramref name="tail"/>.</summary>
    internal static byte[] Carrier(int size, byte[] tail)
    {
        var png = MediaSamples.Png(24, 8);
        var file = new byte[size];
        new Random(size).NextBytes(file);
        png.CopyTo(file, 0);
        Plant(file, Segment - 4, "0badc0ffee0ddf00d5");
        Plant(file, 2 * Segment - 2, "5eed5eed");
        Plant(file, 2 * Segment + 9, "f00dfeed");
        Plant(file, 3 * Segment - 3, "504b0304140000000800"); // a ZIP local header across the boundary
        Plant(file, 3 * Segment + 100, "3c5343524950543e"); // <SCRIPT>
        tail.CopyTo(file, size - tail.Length);
        return file;
    }

    private static void Plant(byte[] file, int at, string hex)
    {
        if (at >= 0 && at + hex.Length / 2 <= file.Length) Convert.FromHexString(hex).CopyTo(file, at);
    }

    internal static ContentInspection OneThread(FeatureLibrary library, byte[] file, string name)
    {
        var pass = new ContentInspector(library).Begin(new MemoryStream(file), name, "image/png");
        foreach (var piece in file.Chunk(100_003)) pass.Feed(piece);
        return pass.Finish();
    }

    internal static void AssertSame(ContentInspection expected, ContentInspection actual)
    {
        Assert.Equal(expected.ContentId, actual.ContentId);
        Assert.Equal(expected.Size, actual.Size);
        Assert.Equal(expected.Findings.Select(f => (f.Code, f.Detail)).Order(), actual.Findings.Select(f => (f.Code, f.Detail)).Order());
    }

    [Theory]
    [InlineData(3 * Segment + 4096)]
    [InlineData(4 * Segment)]
    [InlineData(5 * Segment + 13)]
    public async Task Findings_straddling_segments_and_at_the_end_are_those_of_one_thread(int size)
    {
        var file = Carrier(size, [.. Payload, .. "zzzzzz"u8]);
        var library = Library(wholeFile: file);

        var parallel = await new ContentInspector(library).InspectAsync(new OddReads(file), "big.png", "image/png", default, ParallelManifestTests.Tight);

        var expected = OneThread(library, file, "big.png");
        AssertSame(expected, parallel);
        Assert.Equal(ContentId.Of(file), parallel.ContentId);
        string[] found = ["Feature Across", "Feature Split", "Feature Tail", "Feature Head", "Feature Whole"];
        Assert.All(found, name => Assert.Contains(parallel.Findings, f => f.Detail.StartsWith(name, StringComparison.Ordinal)));
        Assert.Contains(parallel.Findings, f => f.Code == ScanFindingCodes.EmbeddedArchive && f.Detail.EndsWith($"at byte {3 * Segment - 3}.", StringComparison.Ordinal));
        Assert.Contains(parallel.Findings, f => f.Code == ScanFindingCodes.EmbeddedScript);
    }

    [Fact]
    public async Task A_payload_hash_at_the_very_end_is_found()
    {
        // The PNG ends, then only the payload: its hash is checked over the last bytes of the last segment.
        var png = MediaSamples.Png(24, 8);
        var filler = new byte[2 * Segment];
        new Random(7).NextBytes(filler);
        var idat = MediaSamples.Chunk("tEXt", [.. "c\0"u8, .. filler.Select(b => (byte)(b & 0x3F | 0x40))]);
        byte[] file = [.. png[..33], .. idat, .. png[33..], .. Payload];
        var library = Library();

        var parallel = await new ContentInspector(library).InspectAsync(new MemoryStream(file), "p.png", "image/png", default, ParallelManifestTests.Tight);

        AssertSame(OneThread(library, file, "p.png"), parallel);
        Assert.Contains(parallel.Findings, f => f.Detail.StartsWith("Feature Trailer", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(70)]
    public async Task Tiny_files_get_the_one_thread_verdict(int size)
    {
        var file = MediaSamples.Png(24, 8).Take(size).ToArray();
        var library = Library(wholeFile: file);

        var parallel = await new ContentInspector(library).InspectAsync(new MemoryStream(file), "t.png", "image/png", default, ParallelManifestTests.Tight);
        var defaults = await new ContentInspector(library).InspectAsync(new MemoryStream(file), "t.png", "image/png");

        var expected = OneThread(library, file, "t.png");
        AssertSame(expected, parallel);
        AssertSame(expected, defaults);
        Assert.Contains(parallel.Findings, f => f.Detail.StartsWith("Feature Whole", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scan_and_manifest_in_one_read_match_each_alone()
    {
        var file = Carrier(4 * Segment + 999, [.. Payload, .. "zzzzzz"u8]);
        var library = Library();

        var (inspection, manifest) = await new ContentInspector(library).InspectWithManifestAsync(
            new OddReads(file), "big.png", "image/png", null, default, ParallelManifestTests.Tight);

        AssertSame(OneThread(library, file, "big.png"), inspection);
        var alone = await ContentScanner.ScanAsync(new MemoryStream(file), null, null, default);
        Assert.Equal(alone.Id, manifest.Id);
        Assert.Equal(alone.Size, manifest.Size);
        Assert.Equal(alone.Chunks, manifest.Chunks);
    }

    [Fact]
    public void A_parallel_pass_cannot_be_fed_or_finished_by_hand_without_its_digest()
    {
        var session = new FeatureMatcher(Library(wholeFile: [1, 2, 3])).StartWithoutFileHash([]);
        session.Feed([1, 2, 3]);

        Assert.Throws<InvalidOperationException>(() => session.Finish(null));
    }
}
