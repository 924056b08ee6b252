using System.Security.Cryptography;
using System.Text;
using Parley.Core.Passphrase;

namespace Parley.Core.Tests.Passphrase;

public sealed class PassphraseCodeTests
{
    [Fact]
    public void The_word_lists_are_the_pgp_word_list()
    {
        // SHA-256 of "even odd\n" for bytes 0x00..0xff, lower case: computed from two separate
        // public copies of the list (magic-wormhole's and the pgp-wordlist Haskell package's), which agree.
        var lines = string.Concat(Enumerable.Range(0, 256).Select(i => $"{PgpWordList.Even[i]} {PgpWordList.Odd[i]}\n"));

        Assert.Equal("a24d0bcb9d754b40963109851b38ae943464a66944ca76d5698fb002761c0138",
            Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(lines))));
        Assert.Equal(("clockwork", "crossover"), (PgpWordList.Even[0x3B], PgpWordList.Odd[0x3C]));
    }

    [Fact]
    public void The_lists_are_distinct_lower_case_words_with_no_word_in_both()
    {
        string[] all = [.. PgpWordList.Even, .. PgpWordList.Odd];

        Assert.Equal(512, all.Distinct().Count());
        Assert.All(all, word => Assert.True(word.All(char.IsAsciiLetterLower), word));
    }

    [Fact]
    public void A_generated_code_parses_back()
    {
        var code = PassphraseCode.Generate(7);

        var parsed = PassphraseCode.Parse(code.ToString());

        Assert.Equal(7, parsed.Slot);
        Assert.Equal(code.Passphrase, parsed.Passphrase);
        Assert.Matches("^7-[a-z]+-[a-z]+$", code.ToString());
        Assert.Contains(code.Passphrase.Split('-')[0], PgpWordList.Odd);
        Assert.Contains(code.Passphrase.Split('-')[1], PgpWordList.Even);
    }

    [Fact]
    public void Generated_words_vary()
    {
        var passphrases = Enumerable.Range(0, 50).Select(_ => PassphraseCode.Generate(1).Passphrase).ToHashSet();

        // 50 draws from 65,536 codes: a repeat is possible, a handful is not.
        Assert.True(passphrases.Count > 45);
    }

    [Theory]
    [InlineData("7-crossover-clockwork")]
    [InlineData("  7-Crossover-CLOCKWORK\n")]
    [InlineData("7 crossover clockwork")]
    [InlineData("7 - crossover - clockwork")]
    public void Case_spacing_and_separators_are_normalised(string typed)
    {
        var code = PassphraseCode.Parse(typed);

        Assert.Equal((7, "crossover-clockwork"), (code.Slot, code.Passphrase));
        Assert.Equal("7-crossover-clockwork", code.ToString());
    }

    // "pandora" is an odd word and "tiger" an even one; neither appears in the messages' example.
    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("7-pandora")]
    [InlineData("7-pandora-tiger-cobra")]
    [InlineData("pandora-tiger-7")]
    [InlineData("x-pandora-tiger")]
    [InlineData("0-pandora-tiger")]
    [InlineData("+7-pandora-tiger")]
    [InlineData("1234567890-pandora-tiger")]
    [InlineData("7-pandora-tigers")]
    [InlineData("7-tiger-pandora")]
    [InlineData("7-pandora-pandora")]
    public void Malformed_codes_are_refused_without_echoing_the_words(string typed)
    {
        var refused = Assert.Throws<FormatException>(() => PassphraseCode.Parse(typed));

        Assert.DoesNotContain("pandora", refused.Message);
        Assert.DoesNotContain("tiger", refused.Message);
        Assert.False(PassphraseCode.TryParse(typed, out _));
    }

    [Fact]
    public void Swapped_words_are_reported_as_such() =>
        Assert.Contains("wrong order", Assert.Throws<FormatException>(() => PassphraseCode.Parse("7-clockwork-crossover")).Message);

    [Fact]
    public void Slots_outside_the_range_are_refused_when_generating()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PassphraseCode.Generate(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassphraseCode.Generate(PassphraseCode.MaxSlot + 1));
        Assert.Equal(PassphraseCode.MaxSlot, PassphraseCode.Parse($"{PassphraseCode.MaxSlot}-crossover-clockwork").Slot);
    }
}
