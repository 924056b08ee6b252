using Parley.Core.Problems;
using Parley.Core.Rooms;

namespace Parley.Client.Tests;

public sealed class RoomTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_room_goes_from_created_to_invited_to_joined_to_left()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");

        var room = await alice.Client.CreateRoomAsync("  plans  ");
        Assert.Equal(("plans", RoomKind.Group, 0L), (room.Name, room.Kind, room.LastSeq));
        var fetched = await alice.Client.GetRoomAsync(room.Id);
        Assert.Equal((room.Id, room.Name, room.Kind, room.LastSeq), (fetched.Id, fetched.Name, fetched.Kind, fetched.LastSeq));

        var invitation = await alice.Client.InviteAsync(room.Id, bob.Name);
        Assert.Equal((room.Id, "plans", alice.Name), (invitation.RoomId, invitation.RoomName, invitation.InvitedBy));
        var bobsView = await bob.Client.ListRoomsAsync();
        Assert.Empty(bobsView.Rooms);
        Assert.Equal(room.Id, Assert.Single(bobsView.Invitations).RoomId);

        Assert.Equal(room.Id, (await bob.Client.JoinAsync(room.Id)).Id);
        Assert.Equal([alice.Name, bob.Name], (await alice.Client.GetMembersAsync(room.Id)).Select(m => m.UserName).ToArray());
        var afterJoining = await bob.Client.ListRoomsAsync();
        Assert.Equal(room.Id, Assert.Single(afterJoining.Rooms).Id);
        Assert.Empty(afterJoining.Invitations);

        await bob.Client.LeaveAsync(room.Id);
        Assert.Equal([alice.Name], (await alice.Client.GetMembersAsync(room.Id)).Select(m => m.UserName).ToArray());
    }

    [Fact]
    public async Task Someone_elses_room_is_closed_to_an_outsider()
    {
        var alice = await fixture.NewUserAsync("alice");
        var mallory = await fixture.NewUserAsync("mallory");
        var roomId = await ServerFixture.NewRoomAsync(alice);
        var outsider = mallory.Client;

        await ApiAssert.Refused(403, ProblemCodes.RoomNotMember, () => outsider.GetRoomAsync(roomId));
        await ApiAssert.Refused(403, ProblemCodes.RoomNotMember, () => outsider.GetMembersAsync(roomId));
        await ApiAssert.Refused(403, ProblemCodes.RoomNotMember, () => outsider.GetHistoryAsync(roomId));
        await ApiAssert.Refused(403, ProblemCodes.RoomNotMember, () => outsider.SendToRoomAsync(roomId, "let me in"));
        await ApiAssert.Refused(403, ProblemCodes.RoomNotMember, () => outsider.InviteAsync(roomId, mallory.Name));
    }

    [Fact]
    public async Task Joining_without_an_invitation_is_refused()
    {
        var alice = await fixture.NewUserAsync("alice");
        var mallory = await fixture.NewUserAsync("mallory");
        var roomId = await ServerFixture.NewRoomAsync(alice);

        await ApiAssert.Refused(403, ProblemCodes.RoomNotInvited, () => mallory.Client.JoinAsync(roomId));
    }

    [Fact]
    public async Task Unknown_rooms_and_users_are_reported_as_such()
    {
        var alice = await fixture.NewUserAsync("alice");
        var roomId = await ServerFixture.NewRoomAsync(alice);

        await ApiAssert.Refused(404, ProblemCodes.RoomNotFound, () => alice.Client.GetRoomAsync("r_doesnotexist"));
        await ApiAssert.Refused(404, ProblemCodes.RoomNotFound, () => alice.Client.GetRoomAsync("../../api/me"));
        await ApiAssert.Refused(404, ProblemCodes.UserNotFound, () => alice.Client.InviteAsync(roomId, "nobody-" + Guid.NewGuid().ToString("N")[..8]));
    }

    [Fact]
    public async Task A_dot_segment_cannot_aim_a_call_at_another_endpoint()
    {
        var alice = await fixture.NewUserAsync("alice");

        await Assert.ThrowsAsync<ArgumentException>(() => alice.Client.GetMembersAsync(".."));
        await Assert.ThrowsAsync<ArgumentException>(() => alice.Client.SendToUserAsync(".", "hi"));
    }
}
