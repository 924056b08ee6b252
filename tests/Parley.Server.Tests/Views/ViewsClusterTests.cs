using System.Net;
using Parley.Core.Views;
using Parley.Testing;
using Parley.Testing.Views;

namespace Parley.Server.Tests.Views;

/// <summary>
/// Two nodes on one database (and one Redis and media folder): a play started on one is streamed from the other, and
/// the bytes that node served are what the first one judges the report against; both sign with one view key.
/// </summary>
public sealed class ViewsClusterTests : Bus.TwoNodeTests
{
    [Fact]
    public async Task Any_node_streams_judges_and_ends_a_play_started_on_another()
    {
        var sender = await One.NewUser("sender");
        var viewer = await One.NewUser("viewer");
        var room = await One.NewRoom(sender, viewer);
        var video = await Scanning.QuarantineDriver.Delivered(One, sender, room.Id, await ViewsFixture.Video(), "video/webm", "clip.webm");
        Assert.Equal(await (await One.As(viewer).GetAsync("/api/views/key")).Content.ReadAsStringAsync(),
            await (await Two.As(viewer).GetAsync("/api/views/key")).Content.ReadAsStringAsync());

        using var onOne = await HonestPlay.StartAsync(One.As(viewer), viewer.Device.Key, video.Id, TimeProvider.System);
        // The stream from the second node, the report to the first: only the shared count lets this pass.
        var streamed = await Two.As(viewer).GetByteArrayAsync(onOne.Started.StreamUrl);
        var report = new PlayReport(PlayReportFlags.Playing, 1, streamed.Length, 0, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal(HttpStatusCode.OK, (await onOne.SendSealedAsync(report)).StatusCode);

        var record = await Api.Read<PlayRecordDto>(await Two.As(viewer).PostAsync($"/api/views/plays/{onOne.Id}/end", null));

        Assert.Equal((PlayVerdicts.Legal, (long)streamed.Length, (long)streamed.Length), (record.Verdict, record.BytesServed, record.BytesReported));
    }
}
