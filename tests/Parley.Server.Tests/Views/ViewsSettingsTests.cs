using Microsoft.Extensions.Options;
using Parley.Core.Views;
using Parley.Testing;

namespace Parley.Server.Tests.Views;

/// <summary><c>Parley:Views</c>: bound onto Core's rules, handed to every play, and checked at start.</summary>
public sealed class ViewsSettingsTests
{
    [Fact]
    public async Task The_configured_periods_are_the_instructions_a_play_gets()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Views:SealedEvery"] = "00:00:03",
            ["Parley:Views:PlainEvery"] = "00:00:11",
            ["Parley:Views:Tolerance"] = "00:00:01",
        });
        var api = new Api(server);
        var alice = await api.NewUser();
        var video = await Scanning.QuarantineDriver.Delivered(api, alice, (await api.NewRoom(alice)).Id, await ViewsFixture.Video(), "video/webm", "clip.webm");

        using var play = await Parley.Testing.Views.HonestPlay.StartAsync(alice.Http, alice.Device.Key, video.Id, TimeProvider.System);

        Assert.Equal((3000L, 11000L, 1000L), (play.Started.SealedEveryMs, play.Started.PlainEveryMs, play.Started.ToleranceMs));
    }

    [Theory]
    [InlineData("Parley:Views:Tolerance", "00:00:06", "Parley:Views:Tolerance must be at least zero and shorter than both periods.")]
    [InlineData("Parley:Views:SealedEvery", "00:00:00", "Parley:Views:SealedEvery must be positive.")]
    [InlineData("Parley:Views:MinWatchedShare", "1.5", "Parley:Views:MinWatchedShare must be between 0 and 1.")]
    public async Task A_bad_rule_stops_the_start_with_a_message_naming_it(string setting, string value, string message)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningServer.StartAsync(new Dictionary<string, string> { [setting] = value }));

        Assert.Contains(message, refused.Failures);
    }
}
