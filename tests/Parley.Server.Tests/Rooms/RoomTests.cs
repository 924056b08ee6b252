using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Core.Rooms;

namespace Parley.Server.Tests.Rooms;

public sealed class RoomTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;

    [Fact]
    public async Task The_creator_is_the_first_member()
    {
        var alice = await _api.NewUser("alice");

        var room = await Api.Read<RoomDto>(await Api.PostJson(alice.Http, "/api/rooms", new CreateRoomRequest("  Book club  ")), HttpStatusCode.Created);

        Assert.Equal("Book club", room.Name);
        Assert.Equal(RoomKind.Group, room.Kind);
        var members = await Api.Read<MemberDto[]>(await alice.Http.GetAsync($"/api/rooms/{room.Id}/members"));
        Assert.Equal(alice.Name, Assert.Single(members).UserName);
        var list = await Api.Read<RoomListDto>(await alice.Http.GetAsync("/api/rooms"));
        Assert.Contains(list.Rooms, r => r.Id == room.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("bell\u0007")]
    public async Task Bad_room_names_are_refused(string name)
    {
        var alice = await _api.NewUser();

        await Api.AssertProblem(await Api.PostJson(alice.Http, "/api/rooms", new CreateRoomRequest(name)), HttpStatusCode.BadRequest, ProblemCodes.RoomInvalidName);
    }

    [Fact]
    public async Task Concurrent_duplicate_joins_all_succeed()
    {
        var alice = await _api.NewUser("alice");
        for (var round = 0; round < 5; round++)
        {
            var bob = await _api.NewUser("bob");
            var room = await _api.NewRoom(alice);
            Assert.Equal(HttpStatusCode.Created, (await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/invitations", new InviteRequest(bob.Name))).StatusCode);

            var joins = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => bob.Http.PostAsync($"/api/rooms/{room.Id}/join", null)));

            Assert.All(joins, join => Assert.Equal(HttpStatusCode.OK, join.StatusCode));
            Assert.Equal(1, await _api.InDatabase(db => db.RoomMembers.CountAsync(m => m.RoomId == room.Id && m.UserId == bob.Id)));
        }
    }

    [Fact]
    public async Task An_invited_user_sees_the_invitation_and_joins_once()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice);

        await Api.Read<InvitationDto>(await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/invitations", new InviteRequest(bob.Name.ToUpperInvariant())), HttpStatusCode.Created);
        var invitation = Assert.Single((await Api.Read<RoomListDto>(await bob.Http.GetAsync("/api/rooms"))).Invitations);
        Assert.Equal((room.Id, alice.Name), (invitation.RoomId, invitation.InvitedBy));

        await Api.Read<RoomDto>(await bob.Http.PostAsync($"/api/rooms/{room.Id}/join", null));

        var bobsView = await Api.Read<RoomListDto>(await bob.Http.GetAsync("/api/rooms"));
        Assert.Empty(bobsView.Invitations);
        Assert.Contains(bobsView.Rooms, r => r.Id == room.Id);
        var members = await Api.Read<MemberDto[]>(await alice.Http.GetAsync($"/api/rooms/{room.Id}/members"));
        Assert.Equal([alice.Name, bob.Name], members.Select(m => m.UserName));
        await Api.AssertProblem(await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/invitations", new InviteRequest(bob.Name)), HttpStatusCode.Conflict, ProblemCodes.RoomAlreadyMember);
    }

    [Fact]
    public async Task A_declined_invitation_is_gone_and_cannot_be_used_to_join()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var mallory = await _api.NewUser("mallory");
        var room = await _api.NewRoom(alice);
        await Api.Read<InvitationDto>(await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/invitations", new InviteRequest(bob.Name)), HttpStatusCode.Created);

        await Api.AssertProblem(await mallory.Http.PostAsync($"/api/rooms/{room.Id}/decline", null), HttpStatusCode.Forbidden, ProblemCodes.RoomNotInvited);
        await Api.AssertProblem(await bob.Http.PostAsync("/api/rooms/r_nosuchroom/decline", null), HttpStatusCode.NotFound, ProblemCodes.RoomNotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await bob.Http.PostAsync($"/api/rooms/{room.Id}/decline", null)).StatusCode);

        Assert.Empty((await Api.Read<RoomListDto>(await bob.Http.GetAsync("/api/rooms"))).Invitations);
        await Api.AssertProblem(await bob.Http.PostAsync($"/api/rooms/{room.Id}/join", null), HttpStatusCode.Forbidden, ProblemCodes.RoomNotInvited);
        await Api.AssertProblem(await bob.Http.PostAsync($"/api/rooms/{room.Id}/decline", null), HttpStatusCode.Forbidden, ProblemCodes.RoomNotInvited);
        Assert.False(await _api.InDatabase(db => db.RoomMembers.AnyAsync(m => m.RoomId == room.Id && m.UserId == bob.Id)));
    }

    [Fact]
    public async Task Joining_without_an_invitation_is_refused()
    {
        var alice = await _api.NewUser();
        var mallory = await _api.NewUser("mallory");
        var room = await _api.NewRoom(alice);

        await Api.AssertProblem(await mallory.Http.PostAsync($"/api/rooms/{room.Id}/join", null), HttpStatusCode.Forbidden, ProblemCodes.RoomNotInvited);

        Assert.False(await _api.InDatabase(db => db.RoomMembers.AnyAsync(m => m.RoomId == room.Id && m.UserId == mallory.Id)));
    }

    [Fact]
    public async Task Outsiders_can_do_nothing_in_someone_elses_room()
    {
        var alice = await _api.NewUser();
        var mallory = await _api.NewUser("mallory");
        var room = await _api.NewRoom(alice);
        await Api.Read<MessageDto>(await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("private")), HttpStatusCode.Created);
        var outsider = mallory.Http;

        await Api.AssertProblem(await outsider.GetAsync($"/api/rooms/{room.Id}"), HttpStatusCode.Forbidden, ProblemCodes.RoomNotMember);
        await Api.AssertProblem(await outsider.GetAsync($"/api/rooms/{room.Id}/members"), HttpStatusCode.Forbidden, ProblemCodes.RoomNotMember);
        await Api.AssertProblem(await outsider.GetAsync($"/api/rooms/{room.Id}/messages"), HttpStatusCode.Forbidden, ProblemCodes.RoomNotMember);
        await Api.AssertProblem(await Api.PostJson(outsider, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("spam")), HttpStatusCode.Forbidden, ProblemCodes.RoomNotMember);
        await Api.AssertProblem(await Api.PostJson(outsider, $"/api/rooms/{room.Id}/invitations", new InviteRequest(mallory.Name)), HttpStatusCode.Forbidden, ProblemCodes.RoomNotMember);
        await Api.AssertProblem(await outsider.PostAsync($"/api/rooms/{room.Id}/leave", null), HttpStatusCode.Forbidden, ProblemCodes.RoomNotMember);

        Assert.Equal(1, await _api.InDatabase(db => db.Messages.CountAsync(m => m.RoomId == room.Id)));
        Assert.Equal(1, await _api.InDatabase(db => db.RoomMembers.CountAsync(m => m.RoomId == room.Id)));
        Assert.DoesNotContain((await Api.Read<RoomListDto>(await outsider.GetAsync("/api/rooms"))).Rooms, r => r.Id == room.Id);
    }

    [Fact]
    public async Task Unknown_rooms_and_users_are_named_in_the_refusal()
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);

        await Api.AssertProblem(await alice.Http.GetAsync("/api/rooms/r_doesnotexist"), HttpStatusCode.NotFound, ProblemCodes.RoomNotFound);
        await Api.AssertProblem(await alice.Http.PostAsync("/api/rooms/r_doesnotexist/join", null), HttpStatusCode.NotFound, ProblemCodes.RoomNotFound);
        var detail = await Api.AssertProblem(await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/invitations", new InviteRequest("nobody-here")), HttpStatusCode.NotFound, ProblemCodes.UserNotFound);
        Assert.Contains("nobody-here", detail);
    }

    [Fact]
    public async Task A_member_who_leaves_can_no_longer_post_or_read()
    {
        var alice = await _api.NewUser();
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice, bob);

        Assert.Equal(HttpStatusCode.NoContent, (await bob.Http.PostAsync($"/api/rooms/{room.Id}/leave", null)).StatusCode);

        await Api.AssertProblem(await Api.PostJson(bob.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("still here?")), HttpStatusCode.Forbidden, ProblemCodes.RoomNotMember);
        await Api.AssertProblem(await bob.Http.GetAsync($"/api/rooms/{room.Id}/messages"), HttpStatusCode.Forbidden, ProblemCodes.RoomNotMember);
        await Api.AssertProblem(await bob.Http.PostAsync($"/api/rooms/{room.Id}/join", null), HttpStatusCode.Forbidden, ProblemCodes.RoomNotInvited);
    }
}
