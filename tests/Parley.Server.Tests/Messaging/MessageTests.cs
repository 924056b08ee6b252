using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Core.Rooms;
using Parley.Testing;

namespace Parley.Server.Tests.Messaging;

public sealed class MessageTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;

    private static async Task<MessageDto> Send(TestUser user, string roomId, string text, string? clientMessageId = null) =>
        await Api.Read<MessageDto>(await Api.PostJson(user.Http, $"/api/rooms/{roomId}/messages", new SendMessageRequest(text, clientMessageId)), HttpStatusCode.Created);

    [Fact]
    public async Task Messages_are_numbered_in_order_and_read_back_by_every_member()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice, bob);

        var first = await Send(alice, room.Id, "hello");
        var second = await Send(bob, room.Id, "hi alice");

        Assert.Equal((1L, 2L), (first.Seq, second.Seq));
        var page = await Api.Read<MessagePage>(await bob.Http.GetAsync($"/api/rooms/{room.Id}/messages"));
        Assert.Equal(["hello", "hi alice"], page.Messages.Select(m => m.Text));
        Assert.Equal([alice.Name, bob.Name], page.Messages.Select(m => m.SenderName));
        Assert.False(page.HasMore);
        Assert.Equal(2, (await Api.Read<RoomDto>(await alice.Http.GetAsync($"/api/rooms/{room.Id}"))).LastSeq);
    }

    [Fact]
    public async Task History_pages_forward_from_a_cursor_and_backward_from_the_newest()
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);
        for (var i = 1; i <= 7; i++) await Send(alice, room.Id, $"m{i}");

        var catchUp = await Api.Read<MessagePage>(await alice.Http.GetAsync($"/api/rooms/{room.Id}/messages?after=2&limit=3"));
        Assert.Equal([3L, 4L, 5L], catchUp.Messages.Select(m => m.Seq));
        Assert.True(catchUp.HasMore);
        var rest = await Api.Read<MessagePage>(await alice.Http.GetAsync($"/api/rooms/{room.Id}/messages?after=5&limit=3"));
        Assert.Equal([6L, 7L], rest.Messages.Select(m => m.Seq));
        Assert.False(rest.HasMore);

        var newest = await Api.Read<MessagePage>(await alice.Http.GetAsync($"/api/rooms/{room.Id}/messages?limit=3"));
        Assert.Equal([5L, 6L, 7L], newest.Messages.Select(m => m.Seq));
        Assert.True(newest.HasMore);
        var older = await Api.Read<MessagePage>(await alice.Http.GetAsync($"/api/rooms/{room.Id}/messages?before=5&limit=10"));
        Assert.Equal([1L, 2L, 3L, 4L], older.Messages.Select(m => m.Seq));
        Assert.False(older.HasMore);
    }

    [Theory]
    [InlineData("after=1&before=3", ProblemCodes.MessageInvalidCursor)]
    [InlineData("after=-1", ProblemCodes.MessageInvalidCursor)]
    [InlineData("before=0", ProblemCodes.MessageInvalidCursor)]
    [InlineData("limit=0", ProblemCodes.RequestInvalid)]
    [InlineData("limit=100000", ProblemCodes.RequestInvalid)]
    [InlineData("after=abc", ProblemCodes.RequestInvalid)]
    public async Task Bad_cursors_are_refused(string query, string code)
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);

        await Api.AssertProblem(await alice.Http.GetAsync($"/api/rooms/{room.Id}/messages?{query}"), HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task Concurrent_posts_get_distinct_gapless_sequence_numbers()
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);

        var sent = await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Send(alice, room.Id, $"burst {i}")));

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), sent.Select(m => m.Seq).Order());
    }

    [Fact]
    public async Task Retrying_with_the_same_client_message_id_never_posts_twice()
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);
        var first = await Send(alice, room.Id, "once", "c-42");

        var retry = await Api.Read<MessageDto>(await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("once", "c-42")));

        Assert.Equal(first.Id, retry.Id);
        Assert.Equal(1, await _api.InDatabase(db => db.Messages.CountAsync(m => m.RoomId == room.Id)));
    }

    [Theory]
    [InlineData("", ProblemCodes.MessageInvalidText)]
    [InlineData(" \n\t ", ProblemCodes.MessageInvalidText)]
    [InlineData("\u0001\u0007\u001b", ProblemCodes.MessageInvalidText)]
    [InlineData(" \t\u007f\u0085 ", ProblemCodes.MessageInvalidText)]
    // No JSON string may carry U+0000 (PostgreSQL cannot store it): refused while reading the body.
    [InlineData("\u0000", ProblemCodes.RequestInvalid)]
    [InlineData(" \u0000\t\u007f\u0085 ", ProblemCodes.RequestInvalid)]
    public async Task Empty_messages_are_refused(string text, string code)
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);

        await Api.AssertProblem(await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest(text)), HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task The_message_length_limit_is_configurable()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Limits:MaxMessageLength"] = "10" });
        var api = new Api(server);
        var alice = await api.NewUser();
        var room = await api.NewRoom(alice);

        await Send(alice, room.Id, new string('a', 10));
        await Api.AssertProblem(await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest(new string('a', 11))), HttpStatusCode.BadRequest, ProblemCodes.MessageInvalidText);
        Assert.Equal(1, await api.InDatabase(db => db.Messages.CountAsync(m => m.RoomId == room.Id)));
    }

    [Fact]
    public async Task Direct_messages_share_one_room_per_pair_whichever_side_starts()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");

        var hello = await Api.Read<MessageDto>(await Api.PostJson(alice.Http, $"/api/users/{bob.Name}/messages", new SendMessageRequest("hi bob")), HttpStatusCode.Created);
        var reply = await Api.Read<MessageDto>(await Api.PostJson(bob.Http, $"/api/users/{alice.Name}/messages", new SendMessageRequest("hi alice")), HttpStatusCode.Created);

        Assert.Equal(hello.RoomId, reply.RoomId);
        Assert.Equal(2, reply.Seq);
        var bobsRoom = Assert.Single((await Api.Read<RoomListDto>(await bob.Http.GetAsync("/api/rooms"))).Rooms);
        Assert.Equal((RoomKind.Direct, alice.Name), (bobsRoom.Kind, bobsRoom.Name));
        var alicesRoom = Assert.Single((await Api.Read<RoomListDto>(await alice.Http.GetAsync("/api/rooms"))).Rooms);
        Assert.Equal(bob.Name, alicesRoom.Name);
        await Api.AssertProblem(await Api.PostJson(alice.Http, $"/api/rooms/{hello.RoomId}/invitations", new Core.Rooms.InviteRequest("carol")), HttpStatusCode.Conflict, ProblemCodes.RoomDirectFixed);
        await Api.AssertProblem(await alice.Http.PostAsync($"/api/rooms/{hello.RoomId}/leave", null), HttpStatusCode.Conflict, ProblemCodes.RoomDirectFixed);
    }

    [Fact]
    public async Task Direct_messages_to_nobody_or_to_oneself_are_refused()
    {
        var alice = await _api.NewUser();

        await Api.AssertProblem(await Api.PostJson(alice.Http, "/api/users/nobody-here/messages", new SendMessageRequest("hello?")), HttpStatusCode.NotFound, ProblemCodes.UserNotFound);
        await Api.AssertProblem(await Api.PostJson(alice.Http, $"/api/users/{alice.Name}/messages", new SendMessageRequest("me")), HttpStatusCode.BadRequest, ProblemCodes.MessageToSelf);
    }
}
