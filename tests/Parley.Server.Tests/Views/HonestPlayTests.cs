using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Problems;
using Parley.Core.Views;

namespace Parley.Server.Tests.Views;

/// <summary>Honest plays count, and who may read counts and records.</summary>
public sealed class HonestPlayTests(ViewsFixture fixture) : IClassFixture<ViewsFixture>
{
    private readonly Api _api = fixture.Api;

    [Fact]
    public async Task An_honest_play_counts_one_view_and_tells_the_room()
    {
        var video = await fixture.Share();
        var (connection, events) = await fixture.ListenForViews(video.Sender);
        await using var _ = connection;
        using var play = await fixture.Start(video.Viewer, video.Media);

        var record = await Api.Read<PlayRecordDto>(await play.PlayAsync(fixture.Advance));

        Assert.Equal((PlayVerdicts.Legal, true, 1.0), (record.Verdict, record.Counted, record.WatchedShare));
        Assert.Equal([ViewReasons.Ended], record.Reasons);
        Assert.Equal(((int)Math.Ceiling(play.Started.DurationMs / 5000.0), 1), (record.SealedReports, record.PlainReports));
        Assert.Equal((video.Bytes.Length, video.Bytes.Length), (record.BytesServed, record.BytesReported));
        Assert.Equal(video.Viewer.Name, record.UserName);
        var seen = await events.Reader.ReadAsync().AsTask().Within();
        Assert.Equal(new ViewCountedEvent(video.Room.Id, video.Media, 1), seen);
        var count = await Api.Read<ViewCountDto>(await video.Viewer.Http.GetAsync($"/api/views/media/{video.Media}"));
        Assert.Equal(new ViewCountDto(video.Media, video.Message.Media!.ContentId, 1, 0), count);
    }

    [Fact]
    public async Task A_legal_play_of_less_than_half_the_video_is_no_view()
    {
        var video = await fixture.Share();
        using var play = await fixture.Start(video.Viewer, video.Media);

        var record = await Api.Read<PlayRecordDto>(await play.PlayAsync(fixture.Advance, untilMs: 5_000));

        Assert.Equal((PlayVerdicts.Legal, false), (record.Verdict, record.Counted));
        Assert.InRange(record.WatchedShare, 0.24, 0.26);
        Assert.Equal(0, (await Api.Read<ViewCountDto>(await video.Sender.Http.GetAsync($"/api/views/media/{video.Media}"))).Views);
    }

    [Fact]
    public async Task Two_honest_viewers_are_two_views_and_a_second_play_by_one_viewer_a_third()
    {
        var video = await fixture.Share(viewers: 2);
        foreach (var viewer in (TestUser[])[.. video.Viewers, video.Viewers[0]])
        {
            using var play = await fixture.Start(viewer, video.Media);
            Assert.True((await Api.Read<PlayRecordDto>(await play.PlayAsync(fixture.Advance))).Counted);
        }

        var count = await Api.Read<ViewCountDto>(await video.Sender.Http.GetAsync($"/api/views/media/{video.Media}"));

        Assert.Equal(3, count.Views);
    }

    [Fact]
    public async Task A_play_nobody_reports_on_expires_at_its_last_report_when_counted()
    {
        var video = await fixture.Share();
        using var play = await fixture.Start(video.Viewer, video.Media);
        await play.StepAsync(fixture.Advance, TimeSpan.FromSeconds(5), withPlain: false);
        var lastReport = fixture.Clock.GetUtcNow();
        Assert.Equal(1, (await Api.Read<ViewCountDto>(await video.Viewer.Http.GetAsync($"/api/views/media/{video.Media}"))).OpenPlays);

        fixture.Advance(TimeSpan.FromSeconds(20));
        var count = await Api.Read<ViewCountDto>(await video.Viewer.Http.GetAsync($"/api/views/media/{video.Media}"));

        Assert.Equal((0L, 0L), (count.Views, count.OpenPlays));
        var record = await Api.Read<PlayRecordDto>(await video.Viewer.Http.GetAsync($"/api/views/plays/{play.Id}"));
        Assert.Equal(PlayVerdicts.Legal, record.Verdict);
        Assert.Equal(ViewReasons.Expired, Assert.Single(record.Reasons));
        Assert.Equal(lastReport.ToUnixTimeMilliseconds(), record.EndedAt!.Value.ToUnixTimeMilliseconds());
        await Api.AssertProblem(await play.SendSealedAsync(play.Next(ReportKind.Sealed)), HttpStatusCode.Gone, ProblemCodes.ViewPlayEnded);
    }

    [Fact]
    public async Task A_report_after_the_period_and_tolerance_closes_the_play_as_expired()
    {
        var video = await fixture.Share();
        using var play = await fixture.Start(video.Viewer, video.Media);
        await play.StepAsync(fixture.Advance, TimeSpan.FromSeconds(5), withPlain: false);

        fixture.Advance(TimeSpan.FromSeconds(10));
        play.PositionMs += 10_000;

        await Api.AssertProblem(await play.SendSealedAsync(play.Next(ReportKind.Sealed)), HttpStatusCode.Gone, ProblemCodes.ViewPlayEnded);
        var record = await Api.Read<PlayRecordDto>(await play.EndAsync());
        Assert.Equal(PlayVerdicts.Legal, record.Verdict);
        Assert.Equal(ViewReasons.Expired, Assert.Single(record.Reasons));
    }

    [Fact]
    public async Task Records_are_for_the_sender_and_operators_and_each_record_for_its_viewer_too()
    {
        var video = await fixture.Share(viewers: 2);
        var (viewer, other) = (video.Viewers[0], video.Viewers[1]);
        var op = await _api.NamedUser(fixture.OperatorName);
        using var play = await fixture.Start(viewer, video.Media);
        await play.PlayAsync(fixture.Advance);

        var list = await Api.Read<PlayRecordListDto>(await video.Sender.Http.GetAsync($"/api/views/media/{video.Media}/records"));
        Assert.Equal(play.Id, Assert.Single(list.Records).PlayId);
        Assert.Equal(Json(list), Json(await Api.Read<PlayRecordListDto>(await op.Http.GetAsync($"/api/views/media/{video.Media}/records"))));
        await Api.AssertProblem(await viewer.Http.GetAsync($"/api/views/media/{video.Media}/records"), HttpStatusCode.Forbidden, ProblemCodes.ViewRecordsForbidden);
        var stranger = await _api.NewUser("stranger");
        await Api.AssertProblem(await stranger.Http.GetAsync($"/api/views/media/{video.Media}/records"), HttpStatusCode.NotFound, ProblemCodes.MediaNotFound);
        await Api.AssertProblem(await stranger.Http.GetAsync($"/api/views/media/{video.Media}"), HttpStatusCode.NotFound, ProblemCodes.MediaNotFound);

        foreach (var reader in new[] { viewer, video.Sender, op })
            Assert.Equal(Json(list.Records[0]), Json(await Api.Read<PlayRecordDto>(await reader.Http.GetAsync($"/api/views/plays/{play.Id}"))));
        foreach (var reader in new[] { other, stranger })
            await Api.AssertProblem(await reader.Http.GetAsync($"/api/views/plays/{play.Id}"), HttpStatusCode.NotFound, ProblemCodes.ViewPlayNotFound);
    }

    [Fact]
    public async Task A_reused_share_marks_only_the_later_play()
    {
        var video = await fixture.Share(viewers: 2);
        using var share = PlayShare.Create();
        using var first = await fixture.Start(video.Viewers[0], video.Media, share);

        using var second = await fixture.Start(video.Viewers[1], video.Media, share);

        var reused = await Api.Read<PlayRecordDto>(await second.EndAsync());
        Assert.Equal(PlayVerdicts.Illegal, reused.Verdict);
        Assert.Equal(ViewReasons.KeyReused, Assert.Single(reused.Reasons));
        await Api.AssertProblem(await second.SendSealedAsync(second.Next(ReportKind.Sealed)), HttpStatusCode.Gone, ProblemCodes.ViewPlayEnded);
        var honest = await Api.Read<PlayRecordDto>(await first.PlayAsync(fixture.Advance));
        Assert.Equal((PlayVerdicts.Legal, true), (honest.Verdict, honest.Counted));
        Assert.Equal(1, await _api.InDatabase(db => db.Plays.CountAsync(p => p.ClientShare == share.Public)));
    }

    /// <summary>Records hold lists, which records compare by reference: compare what goes over the wire.</summary>
    private static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value, Core.Json.ParleyJson.Options);
}
