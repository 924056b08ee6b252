using Parley.Core.Views;
using static Parley.Core.Views.ReportKind;

namespace Parley.Core.Tests.Views;

/// <summary>
/// The per-report checks of what a report says: playback speed, traffic range, traffic served, plain and sealed
/// agreeing.
/// Each check has a case it lets through and a case it refuses, under the default rules (sealed every 5 s, plain
/// every 15 s, tolerance 4 s, max silence 30 s). Times are seconds after the play's start.
/// </summary>
public sealed class PlayJudgeContentTests : IDisposable
{
    private readonly JudgedPlay _play = new();

    public void Dispose() => _play.Dispose();

    [Theory]
    [InlineData(5, 5)]      // normal speed
    [InlineData(5, 18)]     // 2× over 5 s plus the tolerance's jitter
    public void Playback_up_to_twice_the_speed_is_accepted(double at, double position) =>
        Assert.True(_play.Sealed(at, _play.Report(Sealed, at, positionSeconds: position)).Accepted);

    [Fact]
    public void Ten_times_the_speed_is_too_fast()
    {
        _play.PlayUntil(10);
        _play.AssertRefused(ViewReasons.PositionTooFast, _play.Sealed(15, _play.Report(Sealed, 15, positionSeconds: 60)));
    }

    [Fact]
    public void Steady_double_speed_is_accepted()
    {
        for (var t = 5; t <= 45; t += 5)
        {
            Assert.True(_play.Sealed(t, _play.Report(Sealed, t, positionSeconds: 2 * t)).Accepted, $"sealed at {t} s");
            if (t % 15 == 0) Assert.True(_play.Plain(t, _play.Report(Plain, t, positionSeconds: 2 * t)).Accepted, $"plain at {t} s");
        }
    }

    [Fact]
    public void Steady_triple_speed_runs_out_of_the_jitter_allowance()
    {
        Assert.True(_play.Sealed(5, _play.Report(Sealed, 5, positionSeconds: 15)).Accepted);     // 15 s ≤ 2 × (5 s + 4 s)
        _play.AssertRefused(ViewReasons.PositionTooFast, _play.Sealed(10, _play.Report(Sealed, 10, positionSeconds: 30)));
    }

    [Fact]
    public void A_seek_restarts_the_speed_check_from_where_it_landed()
    {
        _play.PlayUntil(10);
        var seeked = PlayReportFlags.Playing | PlayReportFlags.Seeked;
        Assert.True(_play.Sealed(15, _play.Report(Sealed, 15, positionSeconds: 60, flags: seeked)).Accepted);
        Assert.True(_play.Sealed(20, _play.Report(Sealed, 20, positionSeconds: 65)).Accepted);
        _play.AssertRefused(ViewReasons.PositionTooFast, _play.Sealed(25, _play.Report(Sealed, 25, positionSeconds: 90)));
    }

    [Fact]
    public void A_seek_may_jump_but_not_past_the_end()
    {
        Assert.True(_play.Sealed(5, _play.Report(Sealed, 5, positionSeconds: 80, flags: PlayReportFlags.Playing | PlayReportFlags.Seeked)).Accepted);
        _play.AssertRefused(ViewReasons.PositionTooFast,
            _play.Sealed(10, _play.Report(Sealed, 10, positionSeconds: 105, flags: PlayReportFlags.Seeked)));
    }

    [Fact]
    public void Traffic_down_to_half_the_watched_weight_is_in_range() =>
        Assert.True(_play.Sealed(5, _play.Report(Sealed, 5, bytes: 250_000)).Accepted);    // 5 s × 100 kB × 0.5

    [Fact]
    public void Traffic_below_half_the_watched_weight_is_out_of_range() =>
        _play.AssertRefused(ViewReasons.TrafficOutOfRange, _play.Sealed(5, _play.Report(Sealed, 5, bytes: 249_000)));

    [Fact]
    public void Traffic_that_shrinks_is_out_of_range()
    {
        Assert.True(_play.Sealed(5).Accepted);
        _play.AssertRefused(ViewReasons.TrafficOutOfRange, _play.Sealed(10, _play.Report(Sealed, 10, bytes: JudgedPlay.BytesAt(5) - 1)));
    }

    [Fact]
    public void Traffic_above_the_most_video_sizes_is_out_of_range()
    {
        var rules = new ViewRules();
        var limit = (long)(rules.MaxTrafficFactor * JudgedPlay.Video.Size) + rules.ByteSlack;
        Assert.True(_play.Sealed(5, _play.Report(Sealed, 5, bytes: limit)).Accepted);
        _play.AssertRefused(ViewReasons.TrafficOutOfRange, _play.Sealed(10, _play.Report(Sealed, 10, bytes: limit + 1)));
    }

    [Fact]
    public void Traffic_up_to_the_slack_above_the_bytes_served_is_accepted() =>
        Assert.True(_play.Sealed(5, _play.Report(Sealed, 5), served: JudgedPlay.BytesAt(5) - new ViewRules().ByteSlack).Accepted);

    [Fact]
    public void Traffic_beyond_the_bytes_served_is_a_mismatch() =>
        _play.AssertRefused(ViewReasons.TrafficMismatch, _play.Sealed(5, _play.Report(Sealed, 5), served: JudgedPlay.BytesAt(5) - new ViewRules().ByteSlack - 1));

    [Fact]
    public void Traffic_that_a_sibling_play_was_served_is_a_shared_download() =>
        _play.AssertRefused(ViewReasons.DownloadShared, _play.Sealed(5, _play.Report(Sealed, 5, positionSeconds: 5, bytes: 5_000_000), served: 0, siblings: 5_000_000));

    [Fact]
    public void A_plain_report_that_agrees_with_the_sealed_ones_is_accepted()
    {
        _play.PlayUntil(10);
        Assert.True(_play.Plain(14.2, _play.Report(Plain, 14.2)).Accepted);
        Assert.True(_play.Sealed(15).Accepted);
    }

    [Fact]
    public void A_plain_report_with_fewer_bytes_than_an_earlier_sealed_one_disagrees()
    {
        _play.PlayUntil(10);
        _play.AssertRefused(ViewReasons.ReportsDisagree, _play.Plain(12, _play.Report(Plain, 12, bytes: JudgedPlay.BytesAt(9))));
    }

    [Fact]
    public void A_plain_report_from_another_clock_disagrees()
    {
        _play.PlayUntil(10);
        _play.AssertRefused(ViewReasons.ReportsDisagree, _play.Plain(12, _play.Report(Plain, 12, clientSeconds: 20)));
    }

    [Fact]
    public void A_plain_report_ahead_of_playback_disagrees()
    {
        _play.PlayUntil(10);
        _play.AssertRefused(ViewReasons.ReportsDisagree, _play.Plain(12, _play.Report(Plain, 12, positionSeconds: 20)));
    }

    [Fact]
    public void A_sealed_report_behind_the_plain_one_disagrees()
    {
        _play.PlayUntil(10);
        Assert.True(_play.Plain(12).Accepted);
        _play.AssertRefused(ViewReasons.ReportsDisagree, _play.Sealed(15, _play.Report(Sealed, 15, positionSeconds: 6, bytes: JudgedPlay.BytesAt(15))));
    }
}
