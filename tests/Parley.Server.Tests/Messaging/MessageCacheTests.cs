using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Core.Realtime;
using Parley.Testing;

namespace Parley.Server.Tests.Messaging;

/// <summary>
/// Tokens and room members are held in memory (SessionCache, RoomMembership): each test first makes the server
/// remember, then changes the truth, and proves the very next request sees the change.
/// </summary>
public sealed class MessageCacheTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;

    private static Task<HttpResponseMessage> Post(HttpClient http, string roomId, string text, string? clientMessageId = null) =>
        Api.PostJson(http, $"/api/rooms/{roomId}/messages", new SendMessageRequest(text, clientMessageId));

    [Fact]
    public async Task A_signed_out_token_is_refused_on_the_next_request_although_it_was_just_used()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        Assert.Equal(HttpStatusCode.Created, (await Post(alice.Http, room.Id, "remembered")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync("/api/sessions/current")).StatusCode);

        await Api.AssertProblem(await Post(alice.Http, room.Id, "after sign-out"), HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidToken);
        await Api.AssertProblem(await alice.Http.GetAsync("/api/me"), HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidToken);
        Assert.Equal(1, await _api.InDatabase(db => db.Messages.CountAsync(m => m.RoomId == room.Id)));
    }

    [Fact]
    public async Task Another_session_of_the_same_user_keeps_working_after_one_signs_out()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        using var other = _api.As(alice with { Token = (await _api.SignIn(alice.Name)).Token });
        Assert.Equal(HttpStatusCode.Created, (await Post(other, room.Id, "second session")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync("/api/sessions/current")).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await Post(other, room.Id, "still signed in")).StatusCode);
    }

    [Fact]
    public async Task A_member_who_left_can_neither_post_nor_read_nor_hear_the_room_from_the_next_request_on()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice, bob);
        var elsewhere = await _api.NewRoom(alice, bob);
        await using var bobLive = await _api.ConnectRegistered(bob);
        var heard = Api.Listen<MessageDto>(bobLive, LiveEvents.Message);
        // Both rooms' members are now remembered.
        Assert.Equal(HttpStatusCode.Created, (await Post(bob.Http, room.Id, "bob was here")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Post(alice.Http, elsewhere.Id, "warm")).StatusCode);
        Assert.Equal("bob was here", (await heard.Reader.ReadAsync().AsTask().Within()).Text);
        Assert.Equal("warm", (await heard.Reader.ReadAsync().AsTask().Within()).Text);

        Assert.Equal(HttpStatusCode.NoContent, (await bob.Http.PostAsync($"/api/rooms/{room.Id}/leave", null)).StatusCode);

        await Api.AssertProblem(await Post(bob.Http, room.Id, "after leaving"), HttpStatusCode.Forbidden, ProblemCodes.RoomNotMember);
        await Api.AssertProblem(await bob.Http.GetAsync($"/api/rooms/{room.Id}/messages"), HttpStatusCode.Forbidden, ProblemCodes.RoomNotMember);
        Assert.Equal(HttpStatusCode.Created, (await Post(alice.Http, room.Id, "not for bob")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Post(alice.Http, elsewhere.Id, "for bob")).StatusCode);
        // Events to one connection arrive in order: the next one bob hears is the message of the room he is still in.
        Assert.Equal("for bob", (await heard.Reader.ReadAsync().AsTask().Within()).Text);
    }

    [Fact]
    public async Task A_member_who_joins_posts_and_hears_the_room_at_once_although_its_members_were_remembered()
    {
        var alice = await _api.NewUser("alice");
        var carol = await _api.NewUser("carol");
        var room = await _api.NewRoom(alice);
        Assert.Equal(HttpStatusCode.Created, (await Post(alice.Http, room.Id, "before carol")).StatusCode);
        await using var carolLive = await _api.ConnectRegistered(carol);
        var heard = Api.Listen<MessageDto>(carolLive, LiveEvents.Message);

        await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/invitations", new Parley.Core.Rooms.InviteRequest(carol.Name));
        Assert.Equal(HttpStatusCode.OK, (await carol.Http.PostAsync($"/api/rooms/{room.Id}/join", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await Post(carol.Http, room.Id, "carol joined")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Post(alice.Http, room.Id, "welcome")).StatusCode);
        Assert.Equal("carol joined", (await heard.Reader.ReadAsync().AsTask().Within()).Text);
        Assert.Equal("welcome", (await heard.Reader.ReadAsync().AsTask().Within()).Text);
    }

    [Fact]
    public async Task Concurrent_duplicates_of_one_client_message_id_give_one_message_and_leave_no_gap()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Post(alice.Http, room.Id, "once", "dup-1")));
        var next = await Api.Read<MessageDto>(await Post(alice.Http, room.Id, "next"), HttpStatusCode.Created);

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.OK }));
        var ids = new HashSet<string>();
        foreach (var answer in answers) ids.Add((await Api.Read<MessageDto>(answer, answer.StatusCode)).Id);
        Assert.Single(ids);
        Assert.Equal(2, next.Seq); // the losers' sequence numbers were rolled back with their inserts
        Assert.Equal(2, await _api.InDatabase(db => db.Messages.CountAsync(m => m.RoomId == room.Id)));
    }

    [Fact]
    public async Task Concurrent_senders_with_retries_get_gapless_numbers_in_commit_order_and_one_message_per_client_id()
    {
        const int senders = 4, each = 8;
        var users = new List<TestUser>();
        for (var i = 0; i < senders; i++) users.Add(await _api.NewUser("sender"));
        var room = await _api.NewRoom(users[0], [.. users.Skip(1)]);

        // Every message is sent twice at once with the same clientMessageId, as a client retrying a timed-out post would.
        var posts = users.SelectMany(user => Enumerable.Range(0, each).SelectMany(i => new[]
        {
            Post(user.Http, room.Id, $"{user.Name} {i}", $"c-{i}"), Post(user.Http, room.Id, $"{user.Name} {i}", $"c-{i}"),
        }));
        var answers = await Task.WhenAll(posts);

        Assert.Equal(senders * each, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        var page = await Api.Read<MessagePage>(await users[0].Http.GetAsync($"/api/rooms/{room.Id}/messages?limit=100"));
        Assert.Equal(Enumerable.Range(1, senders * each).Select(i => (long)i), page.Messages.Select(m => m.Seq));
        Assert.Equal(senders * each, page.Messages.Select(m => m.Text).Distinct().Count());
        // The losing duplicates took no number: the room's cursor is exactly the count of messages.
        Assert.Equal(senders * each, await _api.InDatabase(db => db.Rooms.Where(r => r.Id == room.Id).Select(r => r.LastSeq).SingleAsync()));
    }
}
