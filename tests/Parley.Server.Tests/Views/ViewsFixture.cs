using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Messaging;
using Parley.Core.Rooms;
using Parley.Core.Views;
using Parley.Server.Views;
using Parley.Testing;
using Parley.Testing.Views;

namespace Parley.Server.Tests.Views;

/// <summary>
/// One server per test class on a clock the tests move (reports are judged by server time), with one operator, and
/// a 20-second video of about 2 MB: long enough for sealed and plain reports, big enough to pass the byte slack.
/// </summary>
public sealed class ViewsFixture : IAsyncLifetime
{
    public const int VideoSeconds = 20;
    public const int VideoKbps = 800;

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public RunningServer Server { get; private set; } = null!;
    public Api Api { get; private set; } = null!;
    public string OperatorName { get; } = Api.UniqueName("op");

    public async Task InitializeAsync()
    {
        Server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Operators:0"] = OperatorName },
            configureServices: services => services.AddSingleton<TimeProvider>(Clock));
        Api = new Api(Server);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public void Advance(TimeSpan period) => Clock.Advance(period);

    /// <summary>The test video; odd variants only (testsrc2, busy enough for the encoder to reach the bitrate).</summary>
    public static Task<byte[]> Video(VideoFormat format = VideoFormat.WebM, int variant = 1) => TestVideos.MakeAsync(format, VideoSeconds, VideoKbps, variant);

    /// <summary>A sender who shared the video (stored as before probing existed) into a room the viewers are in.</summary>
    /// <param name="variant">Another video than the others' (an odd number), for tests that change what every play of it sees, e.g. a quarantine.</param>
    public async Task<SharedVideo> Share(int viewers = 1, VideoFormat format = VideoFormat.WebM, int variant = 1)
    {
        var sender = await Api.NewUser("sender");
        var members = new TestUser[viewers];
        for (var i = 0; i < viewers; i++) members[i] = await Api.NewUser("viewer");
        var room = await Api.NewRoom(sender, members);
        var bytes = await Video(format, variant);
        var message = await Scanning.QuarantineDriver.Delivered(Api, sender, room.Id, bytes, TestVideos.MediaType(format), "clip" + TestVideos.Extension(format));
        return new SharedVideo(sender, members, room, message, bytes);
    }

    public Task<HonestPlay> Start(TestUser viewer, string media, PlayShare? share = null) =>
        HonestPlay.StartAsync(viewer.Http, viewer.Device.Key, media, Clock, share);

    /// <summary>A live connection that collects <c>viewCounted</c> events.</summary>
    public async Task<(HubConnection Connection, Channel<ViewCountedEvent> Events)> ListenForViews(TestUser user)
    {
        Channel<ViewCountedEvent> events = null!;
        var connection = await Api.ConnectRegistered(user, c => events = Api.Listen<ViewCountedEvent>(c, PlayFinisher.ViewCountedEvent));
        return (connection, events);
    }
}

public sealed record SharedVideo(TestUser Sender, TestUser[] Viewers, RoomDto Room, MessageDto Message, byte[] Bytes)
{
    public string Media => Message.Id;
    public TestUser Viewer => Viewers[0];
}
