using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Parley.Core.Views;
using Parley.Testing;
using Parley.Testing.Views;
using Xunit.Abstractions;

namespace Parley.Web.Tests.Views;

/// <summary>
/// Videos in the page (web/js/views/video-player.js): a played video is a counted play whose view appears under it, for
/// the viewer and live for the sender; refusals and an illegal verdict read in words with their codes.
/// </summary>
public sealed class VideoPlayerTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    /// <summary>Short report periods, so that a 3-second video gets several of each kind.</summary>
    private static readonly Dictionary<string, string> ShortPeriods = new()
    {
        ["Parley:Views:SealedEvery"] = "00:00:01",
        ["Parley:Views:PlainEvery"] = "00:00:02",
        // Shorter than both periods, as the server requires; in proportion to the period like the default (4 s of 5).
        ["Parley:Views:Tolerance"] = "00:00:00.900",
    };

    private static ILocator Player(ParleyPage page) => page.Page.GetByTestId("messages").GetByTestId("media-video");

    private async Task<(ParleyPage Alice, ParleyPage Bob, byte[] Video)> VideoSentAsync(string room, Uri? server = null)
    {
        var (alice, bob) = await TwoMembersAsync(room, await OpenAsync("alice", server), await OpenAsync("bob", server));
        var video = await TestVideos.MakeAsync(VideoFormat.WebM, 3);
        await alice.AttachAsync(new FilePayload { Name = "clip.webm", MimeType = "video/webm", Buffer = video });
        await Expect(Player(bob).GetByTestId("media-name")).ToHaveTextAsync("clip.webm");
        return (alice, bob, video);
    }

    [Fact]
    public Task A_video_played_to_its_end_shows_one_view_for_the_viewer_and_live_for_the_sender() => RunAsync(async () =>
    {
        await using var server = await RunningServer.StartAsync(ShortPeriods);
        var (alice, bob, video) = await VideoSentAsync("Videos", server.BaseAddress);
        var player = Player(bob);
        await Expect(player.GetByTestId("video-views")).ToHaveTextAsync("0 views");
        await Expect(Player(alice).GetByTestId("video-views")).ToHaveTextAsync("0 views");
        Output.WriteLine($"A video before its play: {await ViewPictures.SaveAsync(bob.Page, "video-before-play")}");

        // With the keyboard: the play button is a native button.
        await player.GetByTestId("video-play").FocusAsync();
        await bob.Page.Keyboard.PressAsync("Enter");
        await Expect(player).ToHaveAttributeAsync("data-state", "playing");
        await Expect(player.GetByTestId("video")).ToHaveJSPropertyAsync("paused", false);
        Output.WriteLine($"A video playing: {await ViewPictures.SaveAsync(bob.Page, "video-playing")}");

        await Expect(player.GetByTestId("video-verdict")).ToHaveAttributeAsync("data-verdict", PlayVerdicts.Legal, new() { Timeout = 30_000 });
        await Expect(player.GetByTestId("video-verdict")).ToHaveTextAsync("Counted as a view.");
        await Expect(player.GetByTestId("video-views")).ToHaveTextAsync("1 view");
        // Alice's page only learns it from the live event: it fetched its count once, before the play.
        await Expect(Player(alice).GetByTestId("video-views")).ToHaveTextAsync("1 view");
        Output.WriteLine($"A video counted: {await ViewPictures.SaveAsync(bob.Page, "video-counted")}");

        // The server's record: the page reported what it downloaded, in both kinds of report.
        var messageId = await player.Locator("xpath=ancestor::*[@data-id][1]").GetAttributeAsync("data-id");
        using var http = server.CreateHttpClient();
        var session = await alice.StoredSessionAsync();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.GetProperty("token").GetString());
        var records = await http.GetFromJsonAsync<PlayRecordListDto>($"/api/views/media/{messageId}/records");
        var record = Assert.Single(records!.Records);
        Assert.True(record.Counted, string.Join(", ", record.Reasons));
        Assert.Equal(video.Length, record.BytesServed);
        Assert.Equal(video.Length, record.BytesReported);
        Assert.InRange(record.SealedReports, 2, 5);
        Assert.InRange(record.PlainReports, 1, 3);
        Output.WriteLine($"Record: {record}");
    });

    [Fact]
    public Task A_refused_start_reads_in_words_with_its_code_and_the_play_can_be_tried_again() => RunAsync(async () =>
    {
        var (_, bob, _) = await VideoSentAsync("Unplayable");
        // The server's answers are stood in for, the view key (pinned first) and the refusal named.
        using var viewKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var spki = viewKey.ExportSubjectPublicKeyInfo();
        var key = new { keyId = "vk_" + Convert.ToHexStringLower(SHA256.HashData(spki))[..16], publicKey = Base64Url.EncodeToString(spki) };
        await bob.Page.RouteAsync("**/api/views/key", route => route.FulfillAsync(new() { Status = 200, Json = key }));
        await bob.Page.RouteAsync("**/api/views/plays", route => route.FulfillAsync(new()
        {
            Status = 422,
            ContentType = "application/problem+json",
            Body = """{"type":"about:blank","title":"Not playable","status":422,"code":"view.not_playable","detail":"ffprobe found no duration."}""",
        }));
        var player = Player(bob);

        await player.GetByTestId("video-play").ClickAsync();

        var refusal = player.GetByTestId("video-refusal");
        await Expect(refusal).ToHaveAttributeAsync("data-code", "view.not_playable");
        await Expect(refusal).ToContainTextAsync("could not read this video's length or bitrate");
        await Expect(player).ToHaveAttributeAsync("data-state", "failed");
        await Expect(player.GetByTestId("video-play")).ToHaveTextAsync("▶ Play again");
        Output.WriteLine($"A refused play: {await ViewPictures.SaveAsync(bob.Page, "video-refused")}");
    });

    [Fact]
    public Task A_rejected_report_ends_the_play_and_its_illegal_verdict_reads_in_words() => RunAsync(async () =>
    {
        await using var server = await RunningServer.StartAsync(ShortPeriods);
        var (_, bob, _) = await VideoSentAsync("Rejected", server.BaseAddress);
        // The server's answers to the reports and the end are stood in for: exactly the refusal named.
        await bob.Page.RouteAsync("**/api/views/plays/*/reports", route => route.FulfillAsync(new()
        {
            Status = 422,
            ContentType = "application/problem+json",
            Body = """{"type":"about:blank","title":"Rejected","status":422,"code":"view.report_rejected","reason":"view.traffic_mismatch","detail":"More bytes than served."}""",
        }));
        await bob.Page.RouteAsync("**/api/views/plays/*/end", route => route.FulfillAsync(new()
        {
            Status = 200,
            ContentType = "application/json",
            Body = """{"playId":"p_x","media":"m","contentId":"c","userName":"bob","verdict":"illegal","reasons":["view.traffic_mismatch"],"counted":false,"watchedShare":0.3,"bytesServed":1,"bytesReported":2,"sealedReports":0,"plainReports":0,"startedAt":"2026-01-01T00:00:00Z","endedAt":"2026-01-01T00:00:01Z"}""",
        }));
        var player = Player(bob);

        await player.GetByTestId("video-play").ClickAsync();

        var verdict = player.GetByTestId("video-verdict");
        await Expect(verdict).ToHaveAttributeAsync("data-verdict", PlayVerdicts.Illegal);
        await Expect(verdict).ToContainTextAsync("Not counted: this play broke the rules.");
        await Expect(verdict.Locator("[data-code='view.traffic_mismatch']")).ToContainTextAsync("The reported traffic is more than the server sent.");
        await Expect(player.GetByTestId("video-views")).ToHaveTextAsync("0 views");
        Output.WriteLine($"An illegal play: {await ViewPictures.SaveAsync(bob.Page, "video-illegal")}");
    });
}
