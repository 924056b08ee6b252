using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Problems;
using Parley.Core.Views;
using Parley.Server.Storage;
using Parley.Server.Views;
using Parley.Testing.Views;

namespace Parley.Server.Tests.Views;

/// <summary>A play's stream: served like /api/media to whoever holds its URL, every byte sent counted into the play.</summary>
public sealed class PlayStreamTests(ViewsFixture fixture) : IClassFixture<ViewsFixture>
{
    [Fact]
    public async Task Ranges_are_served_without_a_bearer_with_the_safety_headers_and_counted()
    {
        var (video, play) = await Started();
        using var anonymous = fixture.Server.CreateHttpClient();
        var first = new HttpRequestMessage(HttpMethod.Get, play.Started.StreamUrl) { Headers = { Range = new RangeHeaderValue(0, 99_999) } };

        var response = await anonymous.SendAsync(first);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(video.Bytes[..100_000], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(("video/webm", "nosniff", "sandbox"), (response.Content.Headers.ContentType?.MediaType,
            response.Headers.GetValues("X-Content-Type-Options").Single(), response.Headers.GetValues("Content-Security-Policy").Single()));
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Equal($"bytes 0-99999/{video.Bytes.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(100_000, await Served(play));

        var rest = await anonymous.GetByteArrayAsync(play.Started.StreamUrl);
        Assert.Equal(video.Bytes, rest);
        Assert.Equal(100_000 + video.Bytes.Length, await Served(play));
    }

    [Fact]
    public async Task A_long_response_is_counted_while_it_is_still_being_read()
    {
        var (video, play) = await Started();
        using var anonymous = fixture.Server.CreateHttpClient();
        using var response = await anonymous.GetAsync(play.Started.StreamUrl, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();

        var buffer = new byte[1024 * 1024];
        await body.ReadExactlyAsync(buffer);

        // The server wrote at least this megabyte, and stores its count at least every 256 KiB before writing more.
        Assert.InRange(await Served(play), 1024 * 1024 - PlayStream.FlushEvery - 64 * 1024, video.Bytes.Length);
    }

    [Fact]
    public async Task Wrong_missing_or_foreign_tokens_and_unknown_plays_are_not_found()
    {
        var (video, play) = await Started();
        using var other = await fixture.Start(video.Viewer, video.Media);
        using var anonymous = fixture.Server.CreateHttpClient();
        var url = play.Started.StreamUrl;
        var token = url[(url.IndexOf('=') + 1)..];
        string[] refused =
        [
            url[..url.IndexOf('?')],
            url + "x",
            url[..^2],
            $"/api/views/plays/{play.Id}/stream?access=",
            $"/api/views/plays/{play.Id}/stream?access=not%20base64url!",
            $"/api/views/plays/{play.Id}/stream?access={new string('A', 400)}",
            $"/api/views/plays/{play.Id}/stream{other.Started.StreamUrl[other.Started.StreamUrl.IndexOf('?')..]}",
            $"/api/views/plays/p_doesnotexist2345/stream?access={token}",
        ];

        foreach (var path in refused)
            await Api.AssertProblem(await anonymous.GetAsync(path), HttpStatusCode.NotFound, ProblemCodes.ViewPlayNotFound);
        Assert.Equal(0, await Served(play));
    }

    [Fact]
    public async Task A_quarantined_video_is_not_streamed()
    {
        var (video, play) = await Started(variant: 3);
        await fixture.Api.InDatabase(async db =>
        {
            db.Quarantines.Add(new Quarantine { ContentId = video.Message.Media!.ContentId, LibraryVersion = 1, Reasons = "[]", QuarantinedAt = fixture.Clock.GetUtcNow() });
            return await db.SaveChangesAsync();
        });

        await Api.AssertProblem(await play.DownloadToAsync(1000), (HttpStatusCode)451, ProblemCodes.MediaQuarantined);
    }

    private async Task<(SharedVideo Video, HonestPlay Play)> Started(int variant = 1)
    {
        var video = await fixture.Share(variant: variant);
        return (video, await fixture.Start(video.Viewer, video.Media));
    }

    private Task<long> Served(HonestPlay play) =>
        fixture.Api.InDatabase(db => db.Plays.Where(p => p.Id == play.Id).Select(p => p.BytesServed).SingleAsync());
}
