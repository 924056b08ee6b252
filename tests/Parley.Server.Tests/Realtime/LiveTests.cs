using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Parley.Core.Json;
using Parley.Core.Messaging;
using Parley.Core.Realtime;
using Parley.Core.Rooms;

namespace Parley.Server.Tests.Realtime;

public sealed class LiveTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;

    [Fact]
    public async Task A_message_reaches_every_member_live_and_no_outsider()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var mallory = await _api.NewUser("mallory");
        var room = await _api.NewRoom(alice, bob);
        await using var bobLive = await _api.ConnectLive(bob);
        await using var malloryLive = await _api.ConnectLive(mallory);
        var bobInbox = Api.Listen<MessageDto>(bobLive, LiveEvents.Message);
        var malloryInbox = Api.Listen<MessageDto>(malloryLive, LiveEvents.Message);

        await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("live hello"));
        // Mallory's own direct message is a marker: once it arrives, anything meant for her before it has too.
        await Api.PostJson(alice.Http, $"/api/users/{mallory.Name}/messages", new SendMessageRequest("marker"));

        var received = await bobInbox.Reader.ReadAsync().AsTask().Within();
        Assert.Equal(("live hello", room.Id, alice.Name), (received.Text, received.RoomId, received.SenderName));
        var first = await malloryInbox.Reader.ReadAsync().AsTask().Within();
        Assert.Equal("marker", first.Text);
    }

    [Fact]
    public async Task Invitations_and_joins_arrive_live()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice);
        await using var aliceLive = await _api.ConnectLive(alice);
        await using var bobLive = await _api.ConnectLive(bob);
        var invitations = Api.Listen<InvitationDto>(bobLive, LiveEvents.Invited);
        var joins = Api.Listen<MemberEvent>(aliceLive, LiveEvents.MemberJoined);
        var leaves = Api.Listen<MemberEvent>(aliceLive, LiveEvents.MemberLeft);

        await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/invitations", new InviteRequest(bob.Name));
        var invitation = await invitations.Reader.ReadAsync().AsTask().Within();
        Assert.Equal((room.Id, alice.Name), (invitation.RoomId, invitation.InvitedBy));

        await bob.Http.PostAsync($"/api/rooms/{room.Id}/join", null);
        Assert.Equal(bob.Name, (await joins.Reader.ReadAsync().AsTask().Within()).UserName);

        await bob.Http.PostAsync($"/api/rooms/{room.Id}/leave", null);
        Assert.Equal(bob.Name, (await leaves.Reader.ReadAsync().AsTask().Within()).UserName);
    }

    [Fact]
    public async Task Signing_out_closes_the_live_connections_of_that_session()
    {
        var alice = await _api.NewUser("alice");
        await using var live = await _api.ConnectLive(alice);
        var closed = new TaskCompletionSource();
        live.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        await alice.Http.DeleteAsync("/api/sessions/current");

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Disconnected, live.State);
    }

    [Fact]
    public async Task A_live_connection_closes_when_its_token_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-22T12:00:00Z"));
        await using var server = await Parley.Testing.RunningServer.StartAsync(
            new Dictionary<string, string> { ["Parley:Sessions:Lifetime"] = "01:00:00" },
            configureServices: services => services.AddSingleton<TimeProvider>(clock));
        var api = new Api(server);
        var alice = await api.NewUser("alice");
        var room = await api.NewRoom(alice);
        await using var live = await api.ConnectLive(alice);
        var messages = Api.Listen<MessageDto>(live, LiveEvents.Message);
        var closed = new TaskCompletionSource();
        live.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        clock.Advance(TimeSpan.FromMinutes(59));
        await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("still listening"));
        Assert.Equal("still listening", (await messages.Reader.ReadAsync().AsTask().Within()).Text);
        Assert.Equal(HubConnectionState.Connected, live.State);

        clock.Advance(TimeSpan.FromMinutes(1));

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Disconnected, live.State);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("pt_forgedforgedforgedforgedforgedforgedforged")]
    public async Task The_hub_refuses_connections_without_a_valid_token(string? token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Server.BaseAddress, LiveEvents.HubPath), o => o.AccessTokenProvider = () => Task.FromResult(token))
            .AddJsonProtocol(o => ParleyJson.Configure(o.PayloadSerializerOptions))
            .Build();

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}
