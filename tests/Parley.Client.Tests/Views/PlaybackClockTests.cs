using Microsoft.Extensions.Time.Testing;
using Parley.Client.Views;

namespace Parley.Client.Tests.Views;

/// <summary><see cref="PlaybackClock"/>: the position moves with time only over received bytes, and the refill logic keeps the buffer between half and all of the lead.</summary>
public sealed class PlaybackClockTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void The_position_advances_with_time_over_received_bytes_and_stalls_at_their_end()
    {
        var clock = new PlaybackClock(_time, durationMs: 10_000, size: 1_000_000);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(new PlaybackState(0, 0, 0, Playing: false, Ended: false), clock.Now());

        clock.Receive(300_000);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(new PlaybackState(2000, 3000, 300_000, Playing: true, Ended: false), clock.Now());

        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(new PlaybackState(3000, 3000, 300_000, Playing: false, Ended: false), clock.Now());

        clock.Receive(700_000);
        _time.Advance(TimeSpan.FromSeconds(6.5));
        Assert.Equal(new PlaybackState(9500, 10_000, 1_000_000, Playing: true, Ended: false), clock.Now());
        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(new PlaybackState(10_000, 10_000, 1_000_000, Playing: false, Ended: true), clock.Now());
    }

    [Fact]
    public void Many_short_steps_add_up_to_the_same_position()
    {
        var clock = new PlaybackClock(_time, durationMs: 10_000, size: 1_000);
        clock.Receive(1_000);
        for (var i = 0; i < 3000; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(0.7));
            clock.Now();
        }
        Assert.Equal(2100, clock.Now().PositionMs);
    }

    [Fact]
    public void It_asks_for_bytes_once_less_than_half_the_lead_is_buffered_and_never_more_than_the_lead()
    {
        var clock = new PlaybackClock(_time, durationMs: 10_000, size: 1_000_000);
        var lead = TimeSpan.FromSeconds(4);

        Assert.Equal(400_000, clock.BytesWanted(lead));
        clock.Receive(400_000);
        Assert.Equal(0, clock.BytesWanted(lead));
        Assert.Equal(TimeSpan.FromSeconds(2), clock.UntilRefill(lead));

        _time.Advance(TimeSpan.FromSeconds(2.5));
        Assert.Equal(250_000, clock.BytesWanted(lead));
        clock.Receive(250_000);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(350_000, clock.BytesWanted(lead));
        clock.Receive(350_000);
        Assert.Equal(0, clock.BytesWanted(lead));
    }

    [Fact]
    public void A_tiny_shortfall_still_asks_for_a_minimum_chunk_but_not_past_the_end()
    {
        var clock = new PlaybackClock(_time, durationMs: 100_000, size: 100_000);
        var lead = TimeSpan.FromSeconds(4);
        Assert.Equal(PlaybackClock.MinimumChunk, clock.BytesWanted(lead));

        clock.Receive(95_000);
        _time.Advance(TimeSpan.FromSeconds(93.5));
        Assert.Equal(5_000, clock.BytesWanted(lead));
    }
}
