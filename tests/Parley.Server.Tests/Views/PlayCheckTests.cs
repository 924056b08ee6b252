using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Parley.Core.Problems;
using Parley.Core.Views;
using Parley.Testing.Views;

namespace Parley.Server.Tests.Views;

/// <summary>
/// Every check of a report through HTTP: the honest play of <see cref="HonestPlayTests"/> passes them all, and here each
/// fails on its own, with its reason, ending the play illegal. Times and bytes are the defaults' (docs/views.md).
/// </summary>
public sealed class PlayCheckTests(ViewsFixture fixture) : IClassFixture<ViewsFixture>
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_report_sealed_under_another_key_is_undecryptable()
    {
        using var play = await Started();
        await Honest(play);
        using var forged = PlayKey.FromBytes(RandomNumberGenerator.GetBytes(PlayKey.KeyLength));

        var envelope = forged.Seal(play.Id, play.Next(ReportKind.Sealed));
        await AssertRejected(play, await play.SendAsync(new PlayReportRequest(System.Buffers.Text.Base64Url.EncodeToString(envelope), null)), ViewReasons.Undecryptable);
    }

    [Fact]
    public async Task A_report_sealed_for_another_play_is_undecryptable()
    {
        using var play = await Started();
        using var other = await Started();
        await Honest(play);

        var envelope = play.Key.Seal(other.Id, play.Next(ReportKind.Sealed));
        await AssertRejected(play, await play.SendAsync(new PlayReportRequest(System.Buffers.Text.Base64Url.EncodeToString(envelope), null)), ViewReasons.Undecryptable);
    }

    [Fact]
    public async Task A_replayed_report_is_refused()
    {
        using var play = await Started();
        await play.DownloadToAsync(play.BytesFor(10_000));
        fixture.Advance(Period);
        play.PositionMs = 5_000;
        var first = play.Next(ReportKind.Sealed);
        Assert.Equal(HttpStatusCode.OK, (await play.SendSealedAsync(first)).StatusCode);
        fixture.Advance(Period);

        await AssertRejected(play, await play.SendSealedAsync(first), ViewReasons.CounterReplayed);
    }

    [Fact]
    public async Task A_report_sooner_than_its_period_less_the_tolerance_is_early()
    {
        using var play = await Started();
        await Honest(play);
        fixture.Advance(TimeSpan.FromMilliseconds(500));

        await AssertRejected(play, await play.SendSealedAsync(play.Next(ReportKind.Sealed)), ViewReasons.ReportEarly);
    }

    [Fact]
    public async Task A_position_ahead_of_playback_is_too_fast_unless_the_player_seeked()
    {
        using var seeker = await Started();
        using var play = await Started();
        await seeker.DownloadToAsync(seeker.Started.Size);
        await play.DownloadToAsync(play.Started.Size);
        fixture.Advance(Period);
        seeker.PositionMs = play.PositionMs = 19_000; // twice playback over 5 s plus the tolerance is 18 s

        Assert.Equal(HttpStatusCode.OK, (await seeker.SendSealedAsync(seeker.Next(ReportKind.Sealed, PlayReportFlags.Playing | PlayReportFlags.Seeked))).StatusCode);
        await AssertRejected(play, await play.SendSealedAsync(play.Next(ReportKind.Sealed)), ViewReasons.PositionTooFast);
    }

    [Fact]
    public async Task Too_little_traffic_for_the_watched_time_is_out_of_range()
    {
        using var play = await Started();
        await play.DownloadToAsync(1_000);
        fixture.Advance(Period);
        play.PositionMs = 5_000;

        await AssertRejected(play, await play.SendSealedAsync(play.Next(ReportKind.Sealed)), ViewReasons.TrafficOutOfRange);
    }

    [Fact]
    public async Task Bytes_the_server_never_streamed_are_a_traffic_mismatch()
    {
        using var play = await Started();
        fixture.Advance(Period);
        play.PositionMs = 5_000;

        var claimed = new PlayReport(PlayReportFlags.Playing, 1, play.BytesFor(10_000), 5_000, fixture.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        await AssertRejected(play, await play.SendSealedAsync(claimed), ViewReasons.TrafficMismatch);
    }

    [Fact]
    public async Task Bytes_streamed_to_the_same_users_other_play_are_a_shared_download()
    {
        var video = await fixture.Share();
        using var downloader = await fixture.Start(video.Viewer, video.Media);
        await downloader.DownloadToAsync(downloader.Started.Size);
        using var play = await fixture.Start(video.Viewer, video.Media);
        fixture.Advance(Period);

        var claimed = new PlayReport(PlayReportFlags.Playing, 1, play.BytesFor(10_000), 5_000, fixture.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        await AssertRejected(play, await play.SendSealedAsync(claimed), ViewReasons.DownloadShared);
    }

    [Fact]
    public async Task A_plain_report_on_another_clock_than_the_sealed_ones_disagrees()
    {
        using var play = await Started();
        await Honest(play);

        var plain = play.Next(ReportKind.Plain) with { ClientTimeMs = fixture.Clock.GetUtcNow().ToUnixTimeMilliseconds() + 10_000 };
        await AssertRejected(play, await play.SendPlainAsync(plain), ViewReasons.ReportsDisagree);
    }

    [Fact]
    public async Task Plain_reports_without_sealed_ones_are_a_client_without_the_key()
    {
        using var play = await Started();
        await play.DownloadToAsync(play.BytesFor(10_000));
        fixture.Advance(Period);
        play.PositionMs = 5_000;
        Assert.Equal(HttpStatusCode.OK, (await play.SendPlainAsync(play.Next(ReportKind.Plain))).StatusCode);
        fixture.Advance(Period);
        play.PositionMs = 10_000;

        await AssertRejected(play, await play.SendPlainAsync(play.Next(ReportKind.Plain)), ViewReasons.SealedMissing);
    }

    [Fact]
    public async Task Sealed_reports_without_a_plain_one_when_it_was_due_miss_the_plain()
    {
        using var play = await Started();
        for (var i = 0; i < 3; i++) await Honest(play);
        await play.DownloadToAsync(play.Started.Size);
        fixture.Advance(Period);
        play.PositionMs += 5_000;

        await AssertRejected(play, await play.SendSealedAsync(play.Next(ReportKind.Sealed)), ViewReasons.PlainMissing);
    }

    private async Task<HonestPlay> Started()
    {
        var video = await fixture.Share();
        return await fixture.Start(video.Viewer, video.Media);
    }

    private Task Honest(HonestPlay play) => play.StepAsync(fixture.Advance, Period, withPlain: false);

    /// <summary>422 with the reason; the play is over, illegal for that reason, and refuses further reports and its stream.</summary>
    private static async Task AssertRejected(HonestPlay play, HttpResponseMessage response, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        await Api.AssertProblem(response, (HttpStatusCode)422, ProblemCodes.ViewReportRejected);
        Assert.Equal(reason, JsonDocument.Parse(body).RootElement.GetProperty("reason").GetString());
        await Api.AssertProblem(await play.SendSealedAsync(play.Next(ReportKind.Sealed)), HttpStatusCode.Gone, ProblemCodes.ViewPlayEnded);
        await Api.AssertProblem(await play.DownloadToAsync(play.Started.Size), HttpStatusCode.Gone, ProblemCodes.ViewPlayEnded);
        var record = await Api.Read<PlayRecordDto>(await play.EndAsync());
        Assert.Equal((PlayVerdicts.Illegal, false), (record.Verdict, record.Counted));
        Assert.Contains(reason, record.Reasons);
    }
}
