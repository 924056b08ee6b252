using Parley.Core.Messaging;
using Parley.Core.Rooms;

namespace Parley.Core.Tests.Rooms;

public sealed class RoomRulesTests
{
    [Fact]
    public void Room_names_are_trimmed()
    {
        Assert.True(RoomRules.TryNormalizeName("  Team  ", out var name));
        Assert.Equal("Team", name);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("line\nbreak")]
    public void Empty_or_control_character_names_are_refused(string? raw) =>
        Assert.False(RoomRules.TryNormalizeName(raw, out _));

    [Fact]
    public void Names_over_the_maximum_are_refused() =>
        Assert.False(RoomRules.TryNormalizeName(new string('n', RoomRules.MaxNameLength + 1), out _));

    [Theory]
    [InlineData("hi", 10, true)]
    [InlineData("0123456789", 10, true)]
    [InlineData("0123456789X", 10, false)]
    [InlineData("   ", 10, false)]
    [InlineData(null, 10, false)]
    public void Message_text_must_be_non_blank_and_within_the_limit(string? text, int max, bool acceptable) =>
        Assert.Equal(acceptable, MessageRules.IsAcceptableText(text, max));
}
