using System.Security.Cryptography;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Core.Transfer;
using Parley.Testing.Scanning;
using static Parley.Core.Tests.Scanning.ParallelInspectionTests;

namespace Parley.Core.Tests.Scanning;

/// <summary>
/// The inspection fed on an upload's stream (<see cref="StreamInspection"/>, in whatever pieces the PATCHes bring) gives
/// the whole-file inspection's verdict: patterns and embedded content across piece boundaries, payloads known only
/// after the last byte, clean files, and files shorter than the format sniffer's head.
/// </summary>
public sealed class StreamInspectionTests
{
    private const int Segment = FastCdc.MaxSize;

    private static ContentInspection Streamed(FeatureLibrary library, byte[] file, string name, string mediaType, int[] pieces)
    {
        var inspection = new StreamInspection(library, name, mediaType);
        var at = 0;
        for (var i = 0; at < file.Length; i++)
        {
            var length = Math.Min(pieces[i % pieces.Length], file.Length - at);
            inspection.Feed(file.AsSpan(at, length));
            at += length;
        }
        return inspection.Finish(new MemoryStream(file), SHA256.HashData(file));
    }

    private static async Task<ContentInspection> Whole(FeatureLibrary library, byte[] file, string name, string mediaType) =>
        await new ContentInspector(library).InspectAsync(new MemoryStream(file), name, mediaType);

    public static TheoryData<int[]> Pieces => new()
    {
        { [3 * 1024 * 1024] },          // the PATCH size of the transfer tests
        { [1, 4095, 2, 65_537] },       // boundaries inside the sniffer's head and inside every planted pattern
        { [Segment - 4 + 2, 7, 11] },   // a boundary in the middle of the first planted pattern
    };

    [Theory]
    [MemberData(nameof(Pieces))]
    public async Task A_malicious_file_fed_in_pieces_gets_the_whole_files_findings(int[] pieces)
    {
        var file = Carrier(4 * Segment + 999, [.. Payload, .. "zzzzzz"u8]);
        var library = Library(wholeFile: file);

        var streamed = Streamed(library, file, "big.png", "image/png", pieces);

        var whole = await Whole(library, file, "big.png", "image/png");
        AssertSame(whole, streamed);
        Assert.Equal(whole.Structure.Payloads, streamed.Structure.Payloads);
        string[] found = ["Feature Across", "Feature Split", "Feature Tail", "Feature Head", "Feature Whole"];
        Assert.All(found, name => Assert.Contains(streamed.Findings, f => f.Detail.StartsWith(name, StringComparison.Ordinal)));
        Assert.Contains(streamed.Findings, f => f.Code == ScanFindingCodes.EmbeddedArchive);
        Assert.Contains(streamed.Findings, f => f.Code == ScanFindingCodes.EmbeddedScript);
    }

    [Theory]
    [MemberData(nameof(Pieces))]
    public async Task A_payload_after_the_end_marker_is_hashed_once_the_walk_finds_it(int[] pieces)
    {
        var png = MediaSamples.Png(24, 8);
        byte[] file = [.. png, .. Payload];
        var library = Library();

        var streamed = Streamed(library, file, "p.png", "image/png", pieces);

        AssertSame(await Whole(library, file, "p.png", "image/png"), streamed);
        Assert.Contains(streamed.Findings, f => f.Detail.StartsWith("Feature Trailer", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Pieces))]
    public async Task A_clean_picture_and_a_clean_attachment_pass_as_whole(int[] pieces)
    {
        var picture = NoisePictures.Png(2 * Segment + 12_345);
        var attachment = new byte[2 * Segment + 77];
        new Random(5).NextBytes(attachment);
        // The shared test library marks every PNG (its "Head" feature): this one holds only patterns the files lack.
        var library = FeatureText.ParseLibrary("parley-features 1\nversion 1\nfeature 1 Across bytes any 0badc0ffee0ddf00d5 straddles\n" +
            $"feature 1 Trailer payload-sha256 {Convert.ToHexStringLower(SHA256.HashData(Payload))}:{Payload.Length} script after the end");

        var streamedPicture = Streamed(library, picture, "n.png", "image/png", pieces);
        var streamedAttachment = Streamed(library, attachment, "data.bin", "application/octet-stream", pieces);

        AssertSame(await Whole(library, picture, "n.png", "image/png"), streamedPicture);
        AssertSame(await Whole(library, attachment, "data.bin", "application/octet-stream"), streamedAttachment);
        Assert.True(streamedPicture.Passed, string.Join("; ", streamedPicture.Findings.Select(f => f.Detail)));
        Assert.True(streamedAttachment.Passed, string.Join("; ", streamedAttachment.Findings.Select(f => f.Detail)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    [InlineData(70)]
    public async Task Files_shorter_than_the_sniffers_head_get_the_whole_files_verdict(int size)
    {
        var file = MediaSamples.Png(24, 8).Take(size).ToArray();
        var library = Library(wholeFile: file);

        var streamed = Streamed(library, file, "t.png", "image/png", [3]);

        AssertSame(await Whole(library, file, "t.png", "image/png"), streamed);
        Assert.Contains(streamed.Findings, f => f.Detail.StartsWith("Feature Whole", StringComparison.Ordinal));
    }

    [Fact]
    public void Content_of_another_length_than_what_was_fed_is_refused()
    {
        var inspection = new StreamInspection(Library(), "t.png", "image/png");
        inspection.Feed([1, 2, 3]);

        Assert.Throws<ArgumentException>(() => inspection.Finish(new MemoryStream([1, 2, 3, 4]), SHA256.HashData([1, 2, 3, 4])));
    }
}
