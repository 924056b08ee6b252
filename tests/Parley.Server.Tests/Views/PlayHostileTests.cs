using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Problems;
using Parley.Core.Views;
using Parley.Testing.Views;

namespace Parley.Server.Tests.Views;

/// <summary>Reports, ends and records under attack: malformed bodies, other users' plays, races, odd headers.</summary>
public sealed class PlayHostileTests(ViewsFixture fixture) : IClassFixture<ViewsFixture>
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    public static TheoryData<string, string?, string?> Malformed => new()
    {
        { "both", B64(new byte[SealedReport.Length]), B64(new byte[PlayReport.Length]) },
        { "neither", null, null },
        { "sealed not base64url", "not base64url!", null },
        { "sealed truncated", B64(new byte[SealedReport.Length - 1]), null },
        { "sealed oversized", B64(new byte[SealedReport.Length + 1]), null },
        { "sealed far oversized", B64(new byte[4 * 1024]), null },
        { "sealed padded base64", Convert.ToBase64String(new byte[SealedReport.Length + 1]), null },
        { "plain truncated", null, B64(new PlayReport(PlayReportFlags.Playing, 1, 0, 0, 0).ToBytes()[..^1]) },
        { "plain oversized", null, B64([.. new PlayReport(PlayReportFlags.Playing, 1, 0, 0, 0).ToBytes(), 0]) },
        { "plain version 2", null, B64(WithByte(new PlayReport(PlayReportFlags.Playing, 1, 0, 0, 0).ToBytes(), 0, 2)) },
        { "plain unknown flag", null, B64(WithByte(new PlayReport(PlayReportFlags.Playing, 1, 0, 0, 0).ToBytes(), 1, 0x80)) },
        { "plain counter 0", null, B64(new PlayReport(PlayReportFlags.Playing, 0, 0, 0, 0).ToBytes()) },
        { "plain negative bytes", null, B64(new PlayReport(PlayReportFlags.Playing, 1, -1, 0, 0).ToBytes()) },
        { "plain empty", null, "" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_report_is_a_400_and_leaves_the_play_as_it_was(string _, string? sealedText, string? plainText)
    {
        var (video, play) = await Started();
        await Honest(play);

        await Api.AssertProblem(await play.SendAsync(new PlayReportRequest(sealedText, plainText)), HttpStatusCode.BadRequest, ProblemCodes.ViewReportMalformed);

        var record = await Api.Read<PlayRecordDto>(await video.Viewer.Http.GetAsync($"/api/views/plays/{play.Id}"));
        Assert.Equal((PlayVerdicts.Open, 1, 0), (record.Verdict, record.SealedReports, record.PlainReports));
        Assert.True((await Api.Read<PlayRecordDto>(await play.PlayAsync(fixture.Advance))).Counted);
    }

    [Theory]
    [InlineData("{\"sealed\":5}")]
    [InlineData("{\"sealed\":")]
    [InlineData("[]")]
    public async Task A_report_that_is_no_json_object_of_strings_is_a_400(string body)
    {
        var (video, play) = await Started();

        var response = await Api.PostRaw(video.Viewer.Http, $"/api/views/plays/{play.Id}/reports", body);

        await Api.AssertProblem(response, HttpStatusCode.BadRequest, ProblemCodes.RequestInvalid);
    }

    [Fact]
    public async Task Another_users_play_is_not_found_for_reports_end_and_stream()
    {
        var (video, play) = await Started(viewers: 2);
        var other = video.Viewers[1];
        using var own = await fixture.Start(other, video.Media);
        var sealedReport = new PlayReportRequest(Base64Url.EncodeToString(play.Key.Seal(play.Id, play.Next(ReportKind.Sealed))), null);

        await Api.AssertProblem(await Api.PostJson(other.Http, $"/api/views/plays/{play.Id}/reports", sealedReport), HttpStatusCode.NotFound, ProblemCodes.ViewPlayNotFound);
        await Api.AssertProblem(await other.Http.PostAsync($"/api/views/plays/{play.Id}/end", null), HttpStatusCode.NotFound, ProblemCodes.ViewPlayNotFound);
        var ownToken = own.Started.StreamUrl[own.Started.StreamUrl.IndexOf("?access=", StringComparison.Ordinal)..];
        await Api.AssertProblem(await other.Http.GetAsync($"/api/views/plays/{play.Id}/stream{ownToken}"), HttpStatusCode.NotFound, ProblemCodes.ViewPlayNotFound);
        await Api.AssertProblem(await other.Http.PostAsync("/api/views/plays/p_doesnotexist2345/end", null), HttpStatusCode.NotFound, ProblemCodes.ViewPlayNotFound);

        var record = await Api.Read<PlayRecordDto>(await video.Viewer.Http.GetAsync($"/api/views/plays/{play.Id}"));
        Assert.Equal((PlayVerdicts.Open, 0, 0L), (record.Verdict, record.SealedReports, record.BytesServed));
    }

    [Fact]
    public async Task An_ended_play_refuses_reports_and_its_stream_and_ending_again_answers_the_same_record()
    {
        var (_, play) = await Started();
        var ended = await (await play.PlayAsync(fixture.Advance)).Content.ReadAsStringAsync();

        await Api.AssertProblem(await play.SendPlainAsync(play.Next(ReportKind.Plain)), HttpStatusCode.Gone, ProblemCodes.ViewPlayEnded);
        await Api.AssertProblem(await play.DownloadToAsync(play.Started.Size), HttpStatusCode.Gone, ProblemCodes.ViewPlayEnded);
        fixture.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(ended, await (await play.EndAsync()).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Of_the_same_report_sent_at_once_only_one_passes_and_the_rest_are_replays()
    {
        var (video, play) = await Started();
        await play.DownloadToAsync(play.BytesFor(5_000));
        fixture.Advance(Period);
        play.PositionMs = 5_000;
        var report = new PlayReportRequest(Base64Url.EncodeToString(play.Key.Seal(play.Id, play.Next(ReportKind.Sealed))), null);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => play.SendAsync(report)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, (HttpStatusCode[])[HttpStatusCode.OK, (HttpStatusCode)422, HttpStatusCode.Gone]));
        Assert.Contains(answers, a => a.StatusCode == (HttpStatusCode)422);
        var record = await Api.Read<PlayRecordDto>(await video.Viewer.Http.GetAsync($"/api/views/plays/{play.Id}"));
        Assert.Equal((PlayVerdicts.Illegal, 1), (record.Verdict, record.SealedReports));
        Assert.Contains(ViewReasons.CounterReplayed, record.Reasons);
    }

    [Theory]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=bogus")]
    [InlineData("text/plain")]
    public async Task Reports_and_starts_in_another_charset_or_type_are_refused(string contentType)
    {
        var (video, play) = await Started();
        foreach (var path in new[] { $"/api/views/plays/{play.Id}/reports", "/api/views/plays" })
        {
            using var body = new StringContent("{\"plain\":\"AQ\",\"media\":\"x\"}", Encoding.UTF8);
            body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            await Api.AssertProblem(await video.Viewer.Http.PostAsync(path, body), HttpStatusCode.UnsupportedMediaType, ProblemCodes.RequestUnsupportedMediaType);
        }
        Assert.Equal(1, await fixture.Api.InDatabase(db => db.Plays.CountAsync(p => p.MessageId == video.Media)));
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/xml")]
    [InlineData("image/*;q=abc")]
    public async Task Odd_accept_headers_still_get_problem_details_and_the_video(string accept)
    {
        var (video, play) = await Started();
        using var http = fixture.Server.CreateHttpClient();
        http.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);

        var wrongToken = await http.GetAsync($"/api/views/plays/{play.Id}/stream?access=AAAA");
        await Api.AssertProblem(wrongToken, HttpStatusCode.NotFound, ProblemCodes.ViewPlayNotFound);
        var stream = await http.GetAsync(play.Started.StreamUrl);
        Assert.Equal((HttpStatusCode.OK, "video/webm"), (stream.StatusCode, stream.Content.Headers.ContentType?.MediaType));
        video.Viewer.Http.DefaultRequestHeaders.TryAddWithoutValidation("Accept", accept);
        await Api.AssertProblem(await play.SendAsync(new PlayReportRequest(null, null)), HttpStatusCode.BadRequest, ProblemCodes.ViewReportMalformed);
    }

    private async Task<(SharedVideo Video, HonestPlay Play)> Started(int viewers = 1)
    {
        var video = await fixture.Share(viewers);
        return (video, await fixture.Start(video.Viewer, video.Media));
    }

    private Task Honest(HonestPlay play) => play.StepAsync(fixture.Advance, Period, withPlain: false);

    private static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    private static byte[] WithByte(byte[] bytes, int index, byte value)
    {
        bytes[index] = value;
        return bytes;
    }
}
