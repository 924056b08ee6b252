using Parley.Core.Views;
using static Parley.Core.Views.ReportKind;

namespace Parley.Core.Tests.Views;

/// <summary>
/// Every per-report check with a case it lets through and a case it refuses, under the default rules
/// (sealed every 5 s, plain every 15 s, tolerance 4 s). Times are seconds after the play's start.
/// </summary>
public sealed class PlayJudgeReportTests : IDisposable
{
    private readonly JudgedPlay _play = new();

    public void Dispose() => _play.Dispose();

    private void AssertRefused(string reason, ReportJudgement judgement)
    {
        Assert.Equal(new ReportJudgement(false, reason, false), judgement);
        Assert.True(_play.State.Illegal);
        Assert.Contains(reason, _play.State.Reasons);
        Assert.NotNull(_play.State.EndedAt);
    }

    [Fact]
    public void Honest_reports_on_time_are_accepted_and_count_a_view()
    {
        _play.PlayUntil(60);
        var outcome = _play.End(60);
        Assert.Equal(PlayVerdicts.Legal, outcome.Verdict);
        Assert.Equal([ViewReasons.Ended], outcome.Reasons);
        Assert.True(outcome.Counted);
        Assert.Equal(0.6, outcome.WatchedShare, 6);
        Assert.Equal(12, _play.State.SealedReports);
        Assert.Equal(4, _play.State.PlainReports);
    }

    [Fact]
    public void An_envelope_that_does_not_open_is_undecryptable()
    {
        Assert.True(_play.Sealed(5).Accepted);
        using var stranger = PlayKey.FromBytes(new byte[PlayKey.KeyLength]);
        var envelope = stranger.Seal(JudgedPlay.PlayId, _play.Report(Sealed, 10));
        AssertRefused(ViewReasons.Undecryptable,
            _play.Judge.JudgeSealed(_play.State, JudgedPlay.Video, _play.Key, JudgedPlay.PlayId, envelope, JudgedPlay.At(10), JudgedPlay.BytesAt(10), 0));
    }

    [Fact]
    public void Garbage_instead_of_an_envelope_is_undecryptable() =>
        AssertRefused(ViewReasons.Undecryptable,
            _play.Judge.JudgeSealed(_play.State, JudgedPlay.Video, _play.Key, JudgedPlay.PlayId, new byte[7], JudgedPlay.At(5), 0, 0));

    [Fact]
    public void Increasing_counters_with_gaps_are_accepted()
    {
        Assert.True(_play.Sealed(5, _play.Report(Sealed, 5, counter: 1)).Accepted);
        Assert.True(_play.Sealed(10, _play.Report(Sealed, 10, counter: 7)).Accepted);
    }

    [Fact]
    public void A_replayed_envelope_is_refused()
    {
        var envelope = _play.Key.Seal(JudgedPlay.PlayId, _play.Report(Sealed, 5));
        Assert.True(_play.Judge.JudgeSealed(_play.State, JudgedPlay.Video, _play.Key, JudgedPlay.PlayId, envelope, JudgedPlay.At(5), JudgedPlay.BytesAt(5), 0).Accepted);
        AssertRefused(ViewReasons.CounterReplayed,
            _play.Judge.JudgeSealed(_play.State, JudgedPlay.Video, _play.Key, JudgedPlay.PlayId, envelope, JudgedPlay.At(10), JudgedPlay.BytesAt(10), 0));
    }

    [Fact]
    public void A_lower_sealed_counter_is_refused()
    {
        Assert.True(_play.Sealed(5, _play.Report(Sealed, 5, counter: 5)).Accepted);
        AssertRefused(ViewReasons.CounterReplayed, _play.Sealed(10, _play.Report(Sealed, 10, counter: 4)));
    }

    [Fact]
    public void A_repeated_plain_counter_is_refused()
    {
        Assert.True(_play.Plain(3, _play.Report(Plain, 3, counter: 5)).Accepted);
        foreach (var t in new[] { 5, 10, 15 }) Assert.True(_play.Sealed(t).Accepted);
        AssertRefused(ViewReasons.CounterReplayed, _play.Plain(18, _play.Report(Plain, 18, counter: 5)));
    }

    [Fact]
    public void A_report_just_inside_the_tolerance_is_accepted()
    {
        Assert.True(_play.Sealed(5).Accepted);
        Assert.True(_play.Sealed(6.1).Accepted);      // period 5 s − tolerance 4 s = 1 s
        Assert.True(_play.Sealed(15.0).Accepted);     // 8.9 s later: a lost report between is no failure
    }

    [Fact]
    public void A_report_sooner_than_period_minus_tolerance_is_early()
    {
        Assert.True(_play.Sealed(5).Accepted);
        AssertRefused(ViewReasons.ReportEarly, _play.Sealed(5.9));
    }

    [Fact]
    public void A_report_on_time_right_after_a_delayed_one_is_not_early()
    {
        Assert.True(_play.Sealed(5).Accepted);
        Assert.True(_play.Sealed(14.5).Accepted);   // the one due at 10 s, held up 4.5 s by the network
        Assert.True(_play.Sealed(15).Accepted);     // 0.5 s later, but 10 s after the one before
    }

    [Fact]
    public void Two_reports_per_period_are_early()
    {
        Assert.True(_play.Sealed(5).Accepted);
        Assert.True(_play.Sealed(10).Accepted);
        AssertRefused(ViewReasons.ReportEarly, _play.Sealed(10.5));
    }

    [Fact]
    public void The_ending_report_may_come_early()
    {
        Assert.True(_play.Sealed(5).Accepted);
        Assert.True(_play.Sealed(5.5, _play.Report(Sealed, 5.5, flags: PlayReportFlags.Ended)).Accepted);
    }

    [Fact]
    public void A_report_after_a_silence_longer_than_allowed_expires_the_play_without_making_it_illegal()
    {
        // Lost requests may leave a kind silent for MaxSilence (30 s) plus the tolerance (4 s).
        _play.PlayUntil(30);
        Assert.False(_play.Judge.IsExpired(_play.State, JudgedPlay.At(63.9)));
        Assert.True(_play.Judge.IsExpired(_play.State, JudgedPlay.At(64.1)));
        Assert.Equal(new ReportJudgement(false, null, true), _play.Sealed(64.1));
        Assert.False(_play.State.Illegal);
    }

    [Fact]
    public void A_report_after_lost_ones_within_the_allowed_silence_is_accepted()
    {
        _play.PlayUntil(30);
        Assert.True(_play.Sealed(63.9, _play.Report(Sealed, 63.9, counter: 40)).Accepted);
    }

    [Theory]
    [InlineData(5, 5)]      // normal speed
    [InlineData(5, 18)]     // 2× over 5 s plus the tolerance's jitter
    public void Playback_up_to_twice_the_speed_is_accepted(double at, double position) =>
        Assert.True(_play.Sealed(at, _play.Report(Sealed, at, positionSeconds: position)).Accepted);

    [Fact]
    public void Ten_times_the_speed_is_too_fast()
    {
        _play.PlayUntil(10);
        AssertRefused(ViewReasons.PositionTooFast, _play.Sealed(15, _play.Report(Sealed, 15, positionSeconds: 60)));
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
        AssertRefused(ViewReasons.PositionTooFast, _play.Sealed(10, _play.Report(Sealed, 10, positionSeconds: 30)));
    }

    [Fact]
    public void A_seek_restarts_the_speed_check_from_where_it_landed()
    {
        _play.PlayUntil(10);
        var seeked = PlayReportFlags.Playing | PlayReportFlags.Seeked;
        Assert.True(_play.Sealed(15, _play.Report(Sealed, 15, positionSeconds: 60, flags: seeked)).Accepted);
        Assert.True(_play.Sealed(20, _play.Report(Sealed, 20, positionSeconds: 65)).Accepted);
        AssertRefused(ViewReasons.PositionTooFast, _play.Sealed(25, _play.Report(Sealed, 25, positionSeconds: 90)));
    }

    [Fact]
    public void A_seek_may_jump_but_not_past_the_end()
    {
        Assert.True(_play.Sealed(5, _play.Report(Sealed, 5, positionSeconds: 80, flags: PlayReportFlags.Playing | PlayReportFlags.Seeked)).Accepted);
        AssertRefused(ViewReasons.PositionTooFast,
            _play.Sealed(10, _play.Report(Sealed, 10, positionSeconds: 105, flags: PlayReportFlags.Seeked)));
    }

    [Fact]
    public void Traffic_down_to_half_the_watched_weight_is_in_range() =>
        Assert.True(_play.Sealed(5, _play.Report(Sealed, 5, bytes: 250_000)).Accepted);    // 5 s × 100 kB × 0.5

    [Fact]
    public void Traffic_below_half_the_watched_weight_is_out_of_range() =>
        AssertRefused(ViewReasons.TrafficOutOfRange, _play.Sealed(5, _play.Report(Sealed, 5, bytes: 249_000)));

    [Fact]
    public void Traffic_that_shrinks_is_out_of_range()
    {
        Assert.True(_play.Sealed(5).Accepted);
        AssertRefused(ViewReasons.TrafficOutOfRange, _play.Sealed(10, _play.Report(Sealed, 10, bytes: JudgedPlay.BytesAt(5) - 1)));
    }

    [Fact]
    public void Traffic_above_three_video_sizes_is_out_of_range()
    {
        var rules = new ViewRules();
        var limit = (long)(rules.MaxTrafficFactor * JudgedPlay.Video.Size) + rules.ByteSlack;
        Assert.True(_play.Sealed(5, _play.Report(Sealed, 5, bytes: limit)).Accepted);
        AssertRefused(ViewReasons.TrafficOutOfRange, _play.Sealed(10, _play.Report(Sealed, 10, bytes: limit + 1)));
    }

    [Fact]
    public void Traffic_up_to_the_slack_above_the_bytes_served_is_accepted() =>
        Assert.True(_play.Sealed(5, _play.Report(Sealed, 5), served: JudgedPlay.BytesAt(5) - new ViewRules().ByteSlack).Accepted);

    [Fact]
    public void Traffic_beyond_the_bytes_served_is_a_mismatch() =>
        AssertRefused(ViewReasons.TrafficMismatch, _play.Sealed(5, _play.Report(Sealed, 5), served: JudgedPlay.BytesAt(5) - new ViewRules().ByteSlack - 1));

    [Fact]
    public void Traffic_that_a_sibling_play_was_served_is_a_shared_download() =>
        AssertRefused(ViewReasons.DownloadShared, _play.Sealed(5, _play.Report(Sealed, 5, positionSeconds: 5, bytes: 5_000_000), served: 0, siblings: 5_000_000));

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
        AssertRefused(ViewReasons.ReportsDisagree, _play.Plain(12, _play.Report(Plain, 12, bytes: JudgedPlay.BytesAt(9))));
    }

    [Fact]
    public void A_plain_report_from_another_clock_disagrees()
    {
        _play.PlayUntil(10);
        AssertRefused(ViewReasons.ReportsDisagree, _play.Plain(12, _play.Report(Plain, 12, clientSeconds: 20)));
    }

    [Fact]
    public void A_plain_report_ahead_of_playback_disagrees()
    {
        _play.PlayUntil(10);
        AssertRefused(ViewReasons.ReportsDisagree, _play.Plain(12, _play.Report(Plain, 12, positionSeconds: 20)));
    }

    [Fact]
    public void A_sealed_report_behind_the_plain_one_disagrees()
    {
        _play.PlayUntil(10);
        Assert.True(_play.Plain(12).Accepted);
        AssertRefused(ViewReasons.ReportsDisagree, _play.Sealed(15, _play.Report(Sealed, 15, positionSeconds: 6, bytes: JudgedPlay.BytesAt(15))));
    }

    [Fact]
    public void A_first_plain_report_before_any_sealed_one_was_due_is_accepted() =>
        Assert.True(_play.Plain(8).Accepted);

    [Fact]
    public void Plain_reports_long_after_a_sealed_one_was_due_without_any_mean_sealed_missing()
    {
        Assert.True(_play.Plain(15).Accepted);
        Assert.True(_play.Plain(30).Accepted);                      // sealed silent for 30 s: could be a reconnect
        AssertRefused(ViewReasons.SealedMissing, _play.Plain(45));  // beyond MaxSilence + tolerance: never sealed
    }

    [Fact]
    public void A_kind_that_stopped_while_the_other_kept_coming_is_missing()
    {
        _play.PlayUntil(30);
        foreach (var t in new[] { 35, 40, 45, 50, 55, 60 }) Assert.True(_play.Sealed(t).Accepted);
        AssertRefused(ViewReasons.PlainMissing, _play.Sealed(65));     // no plain since 30 s: 35 s > 30 s + 4 s
    }

    [Fact]
    public void After_a_reconnect_the_other_kind_gets_a_fresh_allowance()
    {
        Assert.True(_play.Sealed(5).Accepted);
        Assert.True(_play.Sealed(10).Accepted);
        // Offline from 11 s to 33 s: the plain report due at 15 s and 30 s and four sealed ones are lost.
        Assert.True(_play.Sealed(35, _play.Report(Sealed, 35, counter: 7)).Accepted);
        Assert.True(_play.Sealed(40, _play.Report(Sealed, 40, counter: 8)).Accepted);
        Assert.True(_play.Plain(45).Accepted);
    }

    [Fact]
    public void A_kind_that_never_comes_is_missing_however_the_other_is_spaced()
    {
        // Sealed every 10 s looks like a lost report each time, but no plain one in twice the allowance is no accident.
        foreach (var t in new[] { 10, 20, 30, 40, 50, 60 }) Assert.True(_play.Sealed(t).Accepted);
        AssertRefused(ViewReasons.PlainMissing, _play.Sealed(70));
    }

    [Fact]
    public void Sealed_reports_within_the_allowed_silence_of_plain_ones_are_accepted()
    {
        foreach (var t in new[] { 5, 10, 15, 20, 25, 30 }) Assert.True(_play.Sealed(t).Accepted);
    }

    [Fact]
    public void Sealed_reports_long_after_a_plain_one_was_due_without_any_mean_plain_missing()
    {
        foreach (var t in new[] { 5, 10, 15, 20, 25, 30 }) Assert.True(_play.Sealed(t).Accepted);
        AssertRefused(ViewReasons.PlainMissing, _play.Sealed(35));
    }
}
