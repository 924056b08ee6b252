using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Realtime;
using Parley.Core.Rooms;
using Parley.Server.Realtime;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Realtime;

public sealed class PresenceTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;

    internal static async Task<bool> IsOnline(TestUser asking, string roomId, TestUser member) =>
        (await Api.Read<MemberDto[]>(await asking.Http.GetAsync($"/api/rooms/{roomId}/members"))).Single(m => m.UserId == member.Id).Online;

    /// <summary>The next presence event about <paramref name="user"/>: events are hints, one per connection change.</summary>
    internal static async Task<PresenceEvent> NextAbout(Channel<PresenceEvent> events, TestUser user)
    {
        while (true)
        {
            var change = await events.Reader.ReadAsync().AsTask().Within();
            if (change.UserId == user.Id) return change;
        }
    }

    [Fact]
    public async Task A_member_is_online_while_any_live_connection_is_open_across_reconnects()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice, bob);
        await using var aliceLive = await _api.ConnectLive(alice);
        var events = Api.Listen<PresenceEvent>(aliceLive, LiveEvents.Presence);
        Assert.False(await IsOnline(alice, room.Id, bob));

        var first = await _api.ConnectLive(bob);
        var arrived = await NextAbout(events, bob);
        Assert.Equal((bob.Name, true), (arrived.UserName, arrived.Online));
        Assert.True(await IsOnline(alice, room.Id, bob));

        // A reconnect: the new connection opens, then the old one closes; bob never went away.
        await using var second = await _api.ConnectLive(bob);
        Assert.True((await NextAbout(events, bob)).Online);
        await first.DisposeAsync();
        Assert.True((await NextAbout(events, bob)).Online);
        Assert.True(await IsOnline(alice, room.Id, bob));

        await second.StopAsync();
        Assert.False((await NextAbout(events, bob)).Online);
        Assert.False(await IsOnline(alice, room.Id, bob));
    }

    [Fact]
    public async Task Connections_of_a_node_that_stopped_renewing_expire_and_are_announced()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-22T12:00:00Z"));
        await using var server = await Parley.Testing.RunningServer.StartAsync(configureServices: services => services.AddSingleton<TimeProvider>(clock));
        var api = new Api(server);
        var alice = await api.NewUser("alice");
        var bob = await api.NewUser("bob");
        var room = await api.NewRoom(alice, bob);
        await using var aliceLive = await api.ConnectLive(alice);
        var events = Api.Listen<PresenceEvent>(aliceLive, LiveEvents.Presence);
        // Bob is connected to another node of the cluster, which then dies: its row stays, unrenewed.
        await api.InDatabase(async db =>
        {
            db.LiveConnections.Add(new LiveConnection { ConnectionId = "elsewhere", UserId = bob.Id, NodeId = "n_dead", ExpiresAt = clock.GetUtcNow() + Presence.Lease });
            return await db.SaveChangesAsync();
        });
        Assert.True(await IsOnline(alice, room.Id, bob));

        // Past the lease: offline for every query at once, and the sweep that follows tells the room.
        clock.Advance(Presence.Lease + Presence.RenewEvery);
        Assert.False(await IsOnline(alice, room.Id, bob));
        Assert.False((await NextAbout(events, bob)).Online);
        // Alice's own connection, on this live node, was renewed by the same round.
        Assert.True(await IsOnline(alice, room.Id, alice));
    }
}
