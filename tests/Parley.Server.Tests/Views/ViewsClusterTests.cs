using System.Net;
using Parley.Core.Views;
using Parley.Testing;
using Parley.Testing.Views;

namespace Parley.Server.Tests.Views;

/// <summary>
/// Two nodes on one database (and one Redis and media folder): a play started on one is streamed from the other, and
/// the bytes that node served are what the first one judges the report against; both sign with one view key.
/// </summary>
public sealed class ViewsClusterTests : IAsyncLifetime
{
    private RedisServer _redis = null!;
    private ClusterNodes _cluster = null!;
    private Api _one = null!, _two = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        _cluster = await ClusterNodes.StartAsync(_redis, 2);
        (_one, _two) = (new Api(_cluster.Nodes[0]), new Api(_cluster.Nodes[1]));
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _redis.DisposeAsync();
    }

    [Fact]
    public async Task Any_node_streams_judges_and_ends_a_play_started_on_another()
    {
        var sender = await _one.NewUser("sender");
        var viewer = await _one.NewUser("viewer");
        var room = await _one.NewRoom(sender, viewer);
        var video = await Scanning.QuarantineDriver.Delivered(_one, sender, room.Id, await ViewsFixture.Video(), "video/webm", "clip.webm");
        Assert.Equal(await (await _one.As(viewer).GetAsync("/api/views/key")).Content.ReadAsStringAsync(),
            await (await _two.As(viewer).GetAsync("/api/views/key")).Content.ReadAsStringAsync());

        using var onOne = await HonestPlay.StartAsync(_one.As(viewer), viewer.Device.Key, video.Id, TimeProvider.System);
        // The stream from the second node, the report to the first: only the shared count lets this pass.
        var streamed = await _two.As(viewer).GetByteArrayAsync(onOne.Started.StreamUrl);
        var report = new PlayReport(PlayReportFlags.Playing, 1, streamed.Length, 0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(HttpStatusCode.OK, (await onOne.SendSealedAsync(report)).StatusCode);

        var record = await Api.Read<PlayRecordDto>(await _two.As(viewer).PostAsync($"/api/views/plays/{onOne.Id}/end", null));

        Assert.Equal((PlayVerdicts.Legal, (long)streamed.Length, (long)streamed.Length), (record.Verdict, record.BytesServed, record.BytesReported));
    }
}
