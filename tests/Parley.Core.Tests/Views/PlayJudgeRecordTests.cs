using System.Text.Json;
using Parley.Core.Views;
using static Parley.Core.Views.ReportKind;

namespace Parley.Core.Tests.Views;

/// <summary>How a record closes (end, expiry, refusal, key reuse), the checks made at its end, and what it counts.</summary>
public sealed class PlayJudgeRecordTests : IDisposable
{
    private readonly JudgedPlay _play = new();

    public void Dispose() => _play.Dispose();

    [Fact]
    public void A_legal_record_below_the_minimum_share_is_not_a_view()
    {
        _play.PlayUntil(45);
        var outcome = _play.End(47);
        Assert.Equal(PlayVerdicts.Legal, outcome.Verdict);
        Assert.False(outcome.Counted);
        Assert.Equal(0.45, outcome.WatchedShare, 6);
        Assert.Equal(JudgedPlay.At(47), _play.State.EndedAt);
    }

    [Fact]
    public void Bytes_served_up_to_the_final_slack_below_the_reported_ones_pass_at_the_end()
    {
        _play.PlayUntil(60);
        Assert.True(_play.End(60, served: _play.State.BytesReported - new ViewRules().FinalByteSlack).Counted);
    }

    [Fact]
    public void More_bytes_reported_than_served_by_the_end_is_a_mismatch()
    {
        _play.PlayUntil(60);
        var outcome = _play.End(60, served: _play.State.BytesReported - new ViewRules().FinalByteSlack - 1);
        Assert.Equal(PlayVerdicts.Illegal, outcome.Verdict);
        Assert.Equal([ViewReasons.TrafficMismatch, ViewReasons.Ended], outcome.Reasons);
        Assert.False(outcome.Counted);
    }

    [Fact]
    public void Bytes_that_a_sibling_play_was_served_are_a_shared_download_at_the_end()
    {
        // Within the running slack every report passes; at the end the sibling's bytes give the download away.
        var bytes = 400_000L;
        Assert.True(_play.Sealed(3, _play.Report(Sealed, 3, bytes: bytes), served: 0, siblings: bytes).Accepted);
        var outcome = _play.End(4, served: 0);
        Assert.Equal([ViewReasons.DownloadShared, ViewReasons.Ended], outcome.Reasons);
    }

    [Fact]
    public void Plain_reports_without_any_sealed_one_are_sealed_missing_at_the_end()
    {
        Assert.True(_play.Plain(3, _play.Report(Plain, 3, flags: PlayReportFlags.Ended)).Accepted);
        Assert.Equal([ViewReasons.SealedMissing, ViewReasons.Ended], _play.End(3).Reasons);
    }

    [Fact]
    public void A_sealed_report_without_plain_ones_before_any_was_due_is_legal_at_the_end()
    {
        Assert.True(_play.Sealed(3, _play.Report(Sealed, 3, flags: PlayReportFlags.Ended)).Accepted);
        Assert.Equal(PlayVerdicts.Legal, _play.End(3).Verdict);
    }

    [Fact]
    public void An_expired_play_closes_legal_at_its_last_accepted_report()
    {
        _play.PlayUntil(30);
        Assert.False(_play.Judge.IsExpired(_play.State, JudgedPlay.At(64)));
        Assert.True(_play.Judge.IsExpired(_play.State, JudgedPlay.At(64.1)));
        var outcome = _play.Judge.Finish(_play.State, JudgedPlay.Video, JudgedPlay.At(300), byClient: false, _play.State.BytesReported);
        Assert.Equal(PlayVerdicts.Legal, outcome.Verdict);
        Assert.Equal([ViewReasons.Expired], outcome.Reasons);
        Assert.Equal(JudgedPlay.At(30), _play.State.EndedAt);
        Assert.False(_play.Judge.IsExpired(_play.State, JudgedPlay.At(300)));
    }

    [Fact]
    public void A_client_ending_a_play_that_already_expired_closes_it_as_expired()
    {
        _play.PlayUntil(30);
        Assert.Equal([ViewReasons.Expired], _play.End(600).Reasons);
        Assert.Equal(JudgedPlay.At(30), _play.State.EndedAt);
    }

    [Fact]
    public void A_refused_report_closes_the_record_and_later_reports_are_not_judged()
    {
        Assert.False(_play.Sealed(5, _play.Report(Sealed, 5, positionSeconds: 60)).Accepted);
        Assert.Throws<InvalidOperationException>(() => _play.Sealed(10));
        var outcome = _play.End(20);
        Assert.Equal(new[] { ViewReasons.PositionTooFast }, outcome.Reasons);
        Assert.Equal(JudgedPlay.At(5), _play.State.EndedAt);
        Assert.Same(outcome.Verdict, _play.End(30).Verdict);
    }

    [Fact]
    public void A_record_begun_illegal_for_a_reused_key_stays_illegal()
    {
        var state = PlayJudge.BeginIllegal(JudgedPlay.Start, ViewReasons.KeyReused);
        Assert.Throws<InvalidOperationException>(() => _play.Judge.JudgePlain(state, JudgedPlay.Video, _play.Report(Plain, 3), JudgedPlay.At(3), 0, 0));
        var outcome = _play.Judge.Finish(state, JudgedPlay.Video, JudgedPlay.At(10), byClient: true, 0);
        Assert.Equal(PlayVerdicts.Illegal, outcome.Verdict);
        Assert.Equal([ViewReasons.KeyReused], outcome.Reasons);
    }

    [Fact]
    public void Watching_a_part_again_after_seeking_back_counts_it_once()
    {
        _play.PlayUntil(30);
        var seeked = PlayReportFlags.Playing | PlayReportFlags.Seeked;
        var bytes = JudgedPlay.BytesAt(30);
        Assert.True(_play.Sealed(35, _play.Report(Sealed, 35, positionSeconds: 12, bytes: bytes, flags: seeked)).Accepted);
        Assert.True(_play.Sealed(40, _play.Report(Sealed, 40, positionSeconds: 17, bytes: bytes)).Accepted);
        Assert.True(_play.Sealed(45, _play.Report(Sealed, 45, positionSeconds: 22, bytes: bytes)).Accepted);
        Assert.Equal(30_000, _play.State.WatchedMs());
    }

    [Fact]
    public void Seeking_forward_skips_the_part_in_between()
    {
        _play.PlayUntil(10);
        var seeked = PlayReportFlags.Playing | PlayReportFlags.Seeked;
        Assert.True(_play.Sealed(15, _play.Report(Sealed, 15, positionSeconds: 70, flags: seeked)).Accepted);
        Assert.True(_play.Plain(15, _play.Report(Plain, 15, positionSeconds: 70, flags: seeked)).Accepted);
        Assert.True(_play.Sealed(20, _play.Report(Sealed, 20, positionSeconds: 75)).Accepted);
        Assert.Equal(15_000, _play.State.WatchedMs());
        Assert.Equal(2, _play.State.Watched.Count);
    }

    [Fact]
    public void The_state_survives_a_json_round_trip_between_reports()
    {
        _play.PlayUntil(30);
        var stored = JsonSerializer.Serialize(_play.State);
        var state = JsonSerializer.Deserialize<PlayState>(stored)!;
        Assert.Equal(stored, JsonSerializer.Serialize(state));

        var replayed = _play.Report(Sealed, 35, counter: 6);
        var judgement = _play.Judge.JudgeSealed(state, JudgedPlay.Video, _play.Key, JudgedPlay.PlayId,
            _play.Key.Seal(JudgedPlay.PlayId, replayed), JudgedPlay.At(35), JudgedPlay.BytesAt(35), 0);
        Assert.Equal(ViewReasons.CounterReplayed, judgement.Reason);
    }
}
