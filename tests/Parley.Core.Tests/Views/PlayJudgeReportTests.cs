using Parley.Core.Views;
using static Parley.Core.Views.ReportKind;

namespace Parley.Core.Tests.Views;

/// <summary>
/// The per-report checks of keys, counters and timing: decryptable, counter, early, silence, the other kind
/// missing.
/// Each check has a case it lets through and a case it refuses, under the default rules (sealed every 5 s, plain
/// every 15 s, tolerance 4 s, max silence 30 s). Times are seconds after the play's start.
/// </summary>
public sealed class PlayJudgeReportTests : IDisposable
{
    private readonly JudgedPlay _play = new();

    public void Dispose() => _play.Dispose();

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
        _play.AssertRefused(ViewReasons.Undecryptable,
            _play.Judge.JudgeSealed(_play.State, JudgedPlay.Video, _play.Key, JudgedPlay.PlayId, envelope, JudgedPlay.At(10), JudgedPlay.BytesAt(10), 0));
    }

    [Fact]
    public void Garbage_instead_of_an_envelope_is_undecryptable() =>
        _play.AssertRefused(ViewReasons.Undecryptable,
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
        _play.AssertRefused(ViewReasons.CounterReplayed,
            _play.Judge.JudgeSealed(_play.State, JudgedPlay.Video, _play.Key, JudgedPlay.PlayId, envelope, JudgedPlay.At(10), JudgedPlay.BytesAt(10), 0));
    }

    [Fact]
    public void A_lower_sealed_counter_is_refused()
    {
        Assert.True(_play.Sealed(5, _play.Report(Sealed, 5, counter: 5)).Accepted);
        _play.AssertRefused(ViewReasons.CounterReplayed, _play.Sealed(10, _play.Report(Sealed, 10, counter: 4)));
    }

    [Fact]
    public void A_repeated_plain_counter_is_refused()
    {
        Assert.True(_play.Plain(3, _play.Report(Plain, 3, counter: 5)).Accepted);
        foreach (var t in new[] { 5, 10, 15 }) Assert.True(_play.Sealed(t).Accepted);
        _play.AssertRefused(ViewReasons.CounterReplayed, _play.Plain(18, _play.Report(Plain, 18, counter: 5)));
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
        _play.AssertRefused(ViewReasons.ReportEarly, _play.Sealed(5.9));
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
        _play.AssertRefused(ViewReasons.ReportEarly, _play.Sealed(10.5));
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

    [Fact]
    public void A_first_plain_report_before_any_sealed_one_was_due_is_accepted() =>
        Assert.True(_play.Plain(8).Accepted);

    [Fact]
    public void Plain_reports_long_after_a_sealed_one_was_due_without_any_mean_sealed_missing()
    {
        Assert.True(_play.Plain(15).Accepted);
        Assert.True(_play.Plain(30).Accepted);                      // sealed silent for 30 s: could be a reconnect
        _play.AssertRefused(ViewReasons.SealedMissing, _play.Plain(45));  // beyond MaxSilence + tolerance: never sealed
    }

    [Fact]
    public void A_kind_that_stopped_while_the_other_kept_coming_is_missing()
    {
        _play.PlayUntil(30);
        foreach (var t in new[] { 35, 40, 45, 50, 55, 60 }) Assert.True(_play.Sealed(t).Accepted);
        _play.AssertRefused(ViewReasons.PlainMissing, _play.Sealed(65));     // no plain since 30 s: 35 s > 30 s + 4 s
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
        _play.AssertRefused(ViewReasons.PlainMissing, _play.Sealed(70));
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
        _play.AssertRefused(ViewReasons.PlainMissing, _play.Sealed(35));
    }
}
