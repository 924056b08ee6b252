using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Core.Realtime;
using Parley.Core.Rooms;

namespace Parley.Client.Tests;

public sealed class LiveTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Invitations_members_and_messages_arrive_as_typed_events()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        await using var alicesLive = new ParleyLive(alice.Client);
        await using var bobsLive = new ParleyLive(bob.Client);
        var invited = Next<InvitationDto>(h => bobsLive.Invited += h);
        var joined = Next<MemberEvent>(h => alicesLive.MemberJoined += h);
        var message = Next<MessageDto>(h => bobsLive.MessageReceived += h);
        var left = Next<MemberEvent>(h => alicesLive.MemberLeft += h);
        await alicesLive.StartAsync();
        await bobsLive.StartAsync();

        var room = await alice.Client.CreateRoomAsync("live room");
        await alice.Client.InviteAsync(room.Id, bob.Name);
        var invitation = await invited.WaitAsync(ServerFixture.Patience);
        Assert.Equal((room.Id, "live room", alice.Name), (invitation.RoomId, invitation.RoomName, invitation.InvitedBy));
        await bob.Client.JoinAsync(room.Id);
        Assert.Equal(new MemberEvent(room.Id, bob.Id, bob.Name), await joined.WaitAsync(ServerFixture.Patience));
        var sent = await alice.Client.SendToRoomAsync(room.Id, "hello bob");
        Assert.Equal(sent, await message.WaitAsync(ServerFixture.Patience));
        await bob.Client.LeaveAsync(room.Id);
        Assert.Equal(new MemberEvent(room.Id, bob.Id, bob.Name), await left.WaitAsync(ServerFixture.Patience));
    }

    [Fact]
    public async Task A_revoked_token_cannot_open_the_live_connection()
    {
        var alice = await fixture.NewUserAsync("alice");
        var stale = fixture.NewClient(alice.Client.Token);
        await alice.Client.SignOutAsync();
        await using var live = new ParleyLive(stale);

        await ApiAssert.Refused(401, ProblemCodes.AuthInvalidToken, () => live.StartAsync());
    }

    [Fact]
    public async Task Disposing_the_connection_ends_a_follower_quietly()
    {
        var alice = await fixture.NewUserAsync("alice");
        var roomId = await ServerFixture.NewRoomAsync(alice);
        var live = new ParleyLive(alice.Client);
        await using var follower = new Follower(live.FollowRoomAsync(roomId, 0));
        await follower.ReadThroughMarkerAsync(alice, roomId);

        await live.DisposeAsync();

        await follower.Completion.WaitAsync(ServerFixture.Patience);
    }

    /// <summary>A task for the next value an event delivers.</summary>
    private static Task<T> Next<T>(Action<Action<T>> subscribe)
    {
        var next = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe(value => next.TrySetResult(value));
        return next.Task;
    }

}
