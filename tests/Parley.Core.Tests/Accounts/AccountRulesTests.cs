using Parley.Core.Accounts;

namespace Parley.Core.Tests.Accounts;

public sealed class AccountRulesTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("  Alice.Smith-2_x ", "alice.smith-2_x")]
    [InlineData("007", "007")]
    public void Valid_names_are_normalized_to_lower_case(string raw, string expected)
    {
        Assert.True(AccountRules.TryNormalizeUserName(raw, out var name));
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("-dash")]
    [InlineData(".dot")]
    [InlineData("white space")]
    [InlineData("аlice")] // Cyrillic 'а': a look-alike of "alice".
    [InlineData("semi;colon")]
    [InlineData("abcdefghijabcdefghijabcdefghijabc")]
    public void Invalid_names_are_refused(string? raw) =>
        Assert.False(AccountRules.TryNormalizeUserName(raw, out _));

    [Theory]
    [InlineData(null, false)]
    [InlineData("1234567", false)]
    [InlineData("12345678", true)]
    public void Passwords_need_eight_characters(string? password, bool acceptable) =>
        Assert.Equal(acceptable, AccountRules.IsAcceptablePassword(password));

    [Fact]
    public void Passwords_over_the_maximum_are_refused() =>
        Assert.False(AccountRules.IsAcceptablePassword(new string('x', AccountRules.MaxPasswordLength + 1)));
}
