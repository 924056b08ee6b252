using System.Security.Cryptography;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;

namespace Parley.Core.Tests.Scanning;

public class FeatureMatcherTests
{
    private static FeatureMatcher Matcher(params string[] lines) =>
        new(FeatureText.ParseLibrary($"parley-features 1\nversion 1\n{string.Join('\n', lines.Select(l => "feature 1 " + l))}"));

    private static byte[] Filler(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        // Keep the filler free of the test patterns' first byte, so only planted bytes can match.
        for (var i = 0; i < bytes.Length; i++) if (bytes[i] is 0x41 or 0x7F or 0x50) bytes[i] = 0x20;
        return bytes;
    }

    private static byte[] Plant(byte[] into, int at, string hex)
    {
        var copy = into.ToArray();
        Convert.FromHexString(hex).CopyTo(copy, at);
        return copy;
    }

    private static IReadOnlyList<string> Names(FeatureMatcher matcher, byte[] data, IReadOnlyList<ByteRange>? payloads = null) =>
        [.. matcher.Match(data, payloads).Select(f => f.Detail.Split(' ')[1])];

    [Fact]
    public void An_unanchored_pattern_matches_anywhere_and_names_the_feature()
    {
        var matcher = Matcher("Php bytes any 3c3f706870 PHP code");
        var finding = Assert.Single(matcher.Match(Plant(Filler(1000), 600, "3c3f706870")));
        Assert.Equal(ScanFindingCodes.FeatureMatch, finding.Code);
        Assert.Contains("Php", finding.Detail);
        Assert.Contains("600", finding.Detail);
        Assert.Contains("PHP code", finding.Detail);
        Assert.Empty(matcher.Match(Filler(1000)));
    }

    [Fact]
    public void Start_and_offset_anchors_match_only_there()
    {
        var matcher = Matcher("Elf bytes start+0 7f454c46 elf", "At bytes start+10 4142 at ten");
        Assert.Equal(["Elf", "At"], Names(matcher, Plant(Plant(Filler(100), 0, "7f454c46"), 10, "4142")));
        Assert.Empty(Names(matcher, Plant(Plant(Filler(100), 1, "7f454c46"), 11, "4142")));
    }

    [Fact]
    public void Eof_and_end_anchors_match_only_at_the_end_even_far_into_a_large_file()
    {
        var matcher = Matcher("End bytes end 504b0506 zip end", "Eof bytes eof-8 41424344 near end");
        var big = Filler(3_000_000);
        Assert.Equal(["End", "Eof"], Names(matcher, Plant(Plant(big, big.Length - 8, "41424344"), big.Length - 4, "504b0506")).Order());
        Assert.Empty(Names(matcher, Plant(Plant(big, big.Length - 9, "41424344"), big.Length - 5, "504b0506")));
    }

    [Theory]
    [InlineData("4142??44", "41427744", true)]
    [InlineData("4142??44", "414277", false)]
    [InlineData("41{2-4}44", "4100000044", true)]
    [InlineData("41{2-4}44", "410044", false)]
    [InlineData("41{2-4}44", "41000000000044", false)]
    public void Wildcards_and_bounded_gaps(string pattern, string planted, bool matches)
    {
        var matcher = Matcher($"P bytes any {pattern} p");
        Assert.Equal(matches, Names(matcher, Plant(Filler(200), 100, planted)).Count == 1);
    }

    [Fact]
    public void Star_parts_must_come_in_order_with_any_distance_between_them()
    {
        var matcher = Matcher("Star bytes any 41424344*5051525354 in order");
        var data = Filler(500_000);
        Assert.Single(Names(matcher, Plant(Plant(data, 1000, "41424344"), 400_000, "5051525354")));
        Assert.Empty(Names(matcher, Plant(Plant(data, 400_000, "41424344"), 1000, "5051525354")));
    }

    [Fact]
    public void A_min_gap_star_needs_that_many_bytes_between_the_parts()
    {
        var matcher = Matcher("Gap bytes any 41424344{10-}5051 apart");
        Assert.Single(Names(matcher, Plant(Plant(Filler(100), 10, "41424344"), 24, "5051")));
        Assert.Empty(Names(matcher, Plant(Plant(Filler(100), 10, "41424344"), 20, "5051")));
    }

    [Fact]
    public void Matches_across_chunk_boundaries_are_found_whatever_the_feed_sizes()
    {
        var matcher = Matcher("Across bytes any 4142434445464748 across", "Gappy bytes any 41??43{0-300}7f7f long");
        var data = Plant(Plant(Filler(200_000), 65_530, "4142434445464748"), 131_000, "41aa43" + new string('0', 400) + "7f7f");
        foreach (var piece in new[] { 1, 7, 4096, 65_536, 200_000 })
        {
            var session = matcher.Start();
            for (var at = 0; at < data.Length; at += piece) session.Feed(data.AsSpan(at, Math.Min(piece, data.Length - at)));
            Assert.Equal(["Across", "Gappy"], session.Finish().Select(h => h.Feature.Name).Order());
        }
    }

    [Fact]
    public void Many_patterns_are_found_in_one_pass()
    {
        var lines = Enumerable.Range(0, 2000).Select(i => $"P{i} bytes any 41{i:x4}42 pattern {i}").ToArray();
        var matcher = Matcher(lines);
        var data = Plant(Plant(Filler(100_000), 5_000, "4107cf42"), 90_000, "41000042");
        Assert.Equal(["P0", "P1999"], Names(matcher, data).Order());
    }

    [Fact]
    public void File_hashes_match_the_whole_file_and_its_size_when_given()
    {
        var data = Filler(5000);
        var hash = Convert.ToHexStringLower(SHA256.HashData(data));
        Assert.Equal(["Sized", "Any"], Names(Matcher($"Sized file-sha256 {hash}:5000 s", $"Any file-sha256 {hash}:* a"), data));
        Assert.Empty(Names(Matcher($"Wrong file-sha256 {hash}:4999 s"), data));
        Assert.Empty(Names(Matcher($"Other file-sha256 {hash}:* a"), data[1..]));
    }

    [Fact]
    public void Payload_hashes_match_the_given_range_in_any_carrier()
    {
        var payload = "#!/bin/sh\necho owned\n"u8.ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(payload));
        var matcher = Matcher($"Trailer payload-sha256 {hash}:{payload.Length} script after the end");
        Assert.True(matcher.HasPayloadFeatures);
        foreach (var carrier in new[] { Filler(300, 1), Filler(70_000, 2) })
        {
            byte[] file = [.. carrier, .. payload];
            Assert.Equal(["Trailer"], Names(matcher, file, [new ByteRange(carrier.Length, payload.Length)]));
            Assert.Empty(Names(matcher, file, [new ByteRange(carrier.Length - 1, payload.Length)]));
            Assert.Empty(Names(matcher, file));
        }
    }

    [Fact]
    public void The_empty_library_matches_nothing() =>
        Assert.Empty(new FeatureMatcher(FeatureLibrary.Empty).Match(Filler(1000)));
}
