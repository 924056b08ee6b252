using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Broadcast;
using Parley.Core.Messaging;
using Parley.Core.Passphrase;
using Parley.Core.Realtime;
using Parley.Core.Rooms;
using Parley.Server.Broadcast;
using Parley.Server.Bus;
using Parley.Server.Tests.Realtime;
using Parley.Testing;
using static Parley.Server.Tests.Broadcast.BroadcastDriver;

namespace Parley.Server.Tests.Bus;

/// <summary>
/// Two all-role nodes on one real Redis (<c>--bus</c>) and one shared database: whichever node takes a
/// request, members connected to the other hear of it, and sign-outs and tickets reach every node.
/// </summary>
public sealed class RedisBusTests : TwoNodeTests
{
    [Fact]
    public async Task Messages_invitations_and_passphrase_requests_reach_a_member_connected_to_the_other_node()
    {
        var alice = await One.NewUser("alice");
        var bob = await One.NewUser("bob");
        var room = await One.NewRoom(alice, bob);
        await using var bobLive = await Two.ConnectLive(bob);
        var messages = Api.Listen<MessageDto>(bobLive, LiveEvents.Message);
        var invitations = Api.Listen<InvitationDto>(bobLive, LiveEvents.Invited);
        var requests = Api.Listen<PakeSessionDto>(bobLive, PakeEvents.Request);

        await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("across nodes"));
        var other = await One.NewRoom(alice);
        await Api.PostJson(alice.Http, $"/api/rooms/{other.Id}/invitations", new InviteRequest(bob.Name));
        var share = Convert.ToBase64String(new byte[Core.Passphrase.Spake2.ShareLength]);
        Assert.Equal(HttpStatusCode.Created, (await Api.PostJson(alice.Http, "/api/passphrase/sessions", new StartPakeRequest(share, bob.Name))).StatusCode);

        Assert.Equal("across nodes", (await messages.Reader.ReadAsync().AsTask().Within()).Text);
        Assert.Equal(other.Id, (await invitations.Reader.ReadAsync().AsTask().Within()).RoomId);
        Assert.Equal(alice.Name, (await requests.Reader.ReadAsync().AsTask().Within()).Initiator);
    }

    [Fact]
    public async Task A_member_connected_to_one_node_is_online_for_members_of_the_other_until_the_connection_closes()
    {
        var alice = await One.NewUser("alice");
        var bob = await One.NewUser("bob");
        var room = await One.NewRoom(alice, bob);
        await using var aliceLive = await One.ConnectLive(alice);
        var presence = Api.Listen<PresenceEvent>(aliceLive, LiveEvents.Presence);

        var bobLive = await Two.ConnectLive(bob);
        Assert.True((await PresenceTests.NextAbout(presence, bob)).Online);
        Assert.True(await PresenceTests.IsOnline(alice, room.Id, bob));

        await bobLive.DisposeAsync();
        Assert.False((await PresenceTests.NextAbout(presence, bob)).Online);
        Assert.False(await PresenceTests.IsOnline(alice, room.Id, bob));
    }

    [Fact]
    public async Task Signing_out_on_one_node_closes_that_sessions_live_connection_on_the_other()
    {
        var alice = await One.NewUser("alice");
        await using var onTwo = await Two.ConnectLive(alice);
        var closed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        onTwo.Closed += _ =>
        {
            closed.TrySetResult(true);
            return Task.CompletedTask;
        };

        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync("/api/sessions/current")).StatusCode);

        Assert.True(await closed.Task.Within());
        Assert.Equal(HubConnectionState.Disconnected, onTwo.State);
    }

    [Fact]
    public async Task A_ticket_issued_on_one_node_is_pushed_to_the_other_and_its_picture_reaches_members_on_both()
    {
        var alice = await One.NewUser("alice");
        var bob = await One.NewUser("bob");
        var carol = await One.NewUser("carol");
        var room = await One.NewRoom(alice, bob, carol);
        var arrived = new TaskCompletionSource<TicketPushDto>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Subscribed after the node's own TicketStore subscription, so it runs once the store has the ticket.
        Cluster.Nodes[1].Services.GetRequiredService<NodeBus>().Subscribe<TicketPushDto>(BusChannels.TicketIssued, ticket =>
        {
            arrived.TrySetResult(ticket);
            return Task.CompletedTask;
        });
        await using var bobLive = await One.ConnectLive(bob);
        await using var carolLive = await Two.ConnectLive(carol);
        var (bobPictures, carolPictures) = (Pictures(bobLive), Pictures(carolLive));

        var ticket = await Ticket(alice, room.Id, Picture(40));
        var pushed = await arrived.Task.Within();
        Assert.Equal(ticket, Cluster.Nodes[1].Services.GetRequiredService<TicketStore>().Find(alice.Id, pushed.DeviceId)?.Ticket);
        var result = await Api.Read<BroadcastResultDto>(await RequestBroadcast(alice.Http, room.Id, ticket));

        Assert.Equal(2, result.Reached);
        Assert.Equal(result.MessageId, (await bobPictures.Reader.ReadAsync().AsTask().Within()).MessageId);
        Assert.Equal(result.MessageId, (await carolPictures.Reader.ReadAsync().AsTask().Within()).MessageId);
    }
}
