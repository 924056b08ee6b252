using Parley.Core.Scanning.Features;

namespace Parley.Core.Tests.Scanning;

public class BytePatternTests
{
    [Theory]
    [InlineData("4D5A", "4d5a", 2, 2)]
    [InlineData("41??43", "41??43", 3, 3)]
    [InlineData("41{2}43", "41{2}43", 4, 4)]
    [InlineData("41{1-3}43", "41{1-3}43", 3, 5)]
    [InlineData("41{-2}43", "41{0-2}43", 2, 4)]
    public void Bounded_patterns_have_their_lengths_and_a_canonical_text(string text, string canonical, int min, int max)
    {
        var pattern = BytePattern.Parse(text);
        Assert.True(pattern.IsBounded);
        Assert.Equal(canonical, pattern.Text);
        Assert.Equal(min, pattern.Parts[0].MinLength);
        Assert.Equal(max, pattern.Parts[0].MaxLength);
    }

    [Fact]
    public void Unbounded_gaps_split_the_pattern_into_parts()
    {
        var pattern = BytePattern.Parse("4142*4344{3-}45");
        Assert.False(pattern.IsBounded);
        Assert.Null(pattern.FixedLength);
        Assert.Equal(3, pattern.Parts.Count);
        Assert.Equal(0, pattern.Parts[1].MinGapBefore);
        Assert.Equal(3, pattern.Parts[2].MinGapBefore);
        Assert.Equal("4142*4344{3-}45", pattern.Text);
    }

    [Fact]
    public void The_anchor_run_is_the_longest_literal_run_before_a_variable_gap()
    {
        var part = BytePattern.Parse("41??424344{1-5}454647484950").Parts[0];
        Assert.Equal(new byte[] { 0x42, 0x43, 0x44 }, part.AnchorRun);
        Assert.Equal(2, part.AnchorOffset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4")]
    [InlineData("4G")]
    [InlineData("*41")]
    [InlineData("41*")]
    [InlineData("{2}41")]
    [InlineData("41{3-1}42")]
    [InlineData("41{x}42")]
    [InlineData("41{2")]
    [InlineData("41{-}42")]
    [InlineData("????")]
    [InlineData("??{1-2}41")]
    [InlineData("41{70000}42")]
    public void Malformed_patterns_are_refused(string text)
    {
        Assert.False(BytePattern.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Theory]
    [InlineData("41??43", "41ff43", 3)]
    [InlineData("41??43", "414243", 3)]
    [InlineData("41??43", "4142", -1)]
    [InlineData("41{1-3}43", "41000043", 4)]
    [InlineData("41{1-3}43", "4143", -1)]
    [InlineData("41{1-3}43", "410000000043", -1)]
    [InlineData("41{0-2}43", "41434343", 2)]
    public void A_part_matches_with_its_shortest_length(string pattern, string data, int expected) =>
        Assert.Equal(expected, BytePattern.Parse(pattern).Parts[0].Match(Convert.FromHexString(data)));

    [Fact]
    public void Many_variable_gaps_over_hostile_data_stay_fast()
    {
        // Every byte is 41, so every gap length fits every 41 and only the final 42 is missing:
        // without remembering failed states this is 200^4 paths.
        var part = BytePattern.Parse("41{0-200}41{0-200}41{0-200}41{0-200}42").Parts[0];
        var data = Enumerable.Repeat((byte)0x41, part.MaxLength).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(-1, part.Match(data));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        data[^1] = 0x42;
        Assert.Equal(data.Length, part.Match(data));
    }
}
