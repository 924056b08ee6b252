using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Json;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Core.Realtime;
using Parley.Testing;

namespace Parley.Server.Tests.Messaging;

/// <summary>Replies, and edits and deletions by the sender: entries of the room's sequence of their own (docs/messaging.md).</summary>
public sealed class MessageChangeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;

    private static async Task<MessageDto> Send(TestUser user, string roomId, string text, string? replyToId = null) =>
        await Api.Read<MessageDto>(await Api.PostJson(user.Http, $"/api/rooms/{roomId}/messages", new SendMessageRequest(text, ReplyToId: replyToId)),
            HttpStatusCode.Created);

    private static Task<HttpResponseMessage> Edit(TestUser user, string messageId, string text) =>
        user.Http.PatchAsync($"/api/messages/{messageId}", JsonContent.Create(new EditMessageRequest(text), options: ParleyJson.Options));

    private static Task<HttpResponseMessage> Delete(TestUser user, string messageId) => user.Http.DeleteAsync($"/api/messages/{messageId}");

    private static async Task<List<MessageDto>> History(TestUser user, string roomId, long? after = null) =>
        (await Api.Read<MessagePage>(await user.Http.GetAsync($"/api/rooms/{roomId}/messages" + (after is null ? "" : $"?after={after}")))).Messages.ToList();

    [Fact]
    public async Task A_reply_names_the_message_it_answers()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice, bob);
        var question = await Send(alice, room.Id, "lunch?");

        var answer = await Send(bob, room.Id, "yes", replyToId: question.Id);

        Assert.Equal(question.Id, answer.ReplyToId);
        Assert.Equal([null, question.Id], (await History(alice, room.Id)).Select(m => m.ReplyToId));
    }

    [Fact]
    public async Task A_reply_by_message_id_goes_to_that_messages_room_and_only_for_members()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var mallory = await _api.NewUser("mallory");
        var room = await _api.NewRoom(alice, bob);
        var question = await Send(alice, room.Id, "lunch?");

        var answer = await Api.Read<MessageDto>(
            await Api.PostJson(bob.Http, $"/api/messages/{question.Id}/replies", new SendMessageRequest("yes")), HttpStatusCode.Created);

        Assert.Equal((room.Id, question.Id, 2L), (answer.RoomId, answer.ReplyToId, answer.Seq));
        await Api.AssertProblem(await Api.PostJson(mallory.Http, $"/api/messages/{question.Id}/replies", new SendMessageRequest("me too")),
            HttpStatusCode.NotFound, ProblemCodes.MessageNotFound);
        Assert.Equal(2, (await History(alice, room.Id)).Count);
    }

    [Fact]
    public async Task An_edit_is_an_entry_of_its_own_and_history_shows_the_message_edited_in_place()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice, bob);
        var first = await Send(alice, room.Id, "helo");
        await Send(bob, room.Id, "hi");

        var edit = await Api.Read<MessageDto>(await Edit(alice, first.Id, "hello"));

        Assert.Equal((MessageKind.Edit, first.Id, 3L, "hello"), (edit.Kind, edit.TargetId, edit.Seq, edit.Text));
        var history = await History(bob, room.Id);
        Assert.Equal([1L, 2L, 3L], history.Select(m => m.Seq));
        Assert.Equal(("hello", 3L), (history[0].Text, history[0].ChangedSeq));
        Assert.NotNull(history[0].EditedAt);
        // A client that had seen up to seq 2 hears of the edit by catching up.
        Assert.Equal([edit.Id], (await History(bob, room.Id, after: 2)).Select(m => m.Id));
    }

    [Fact]
    public async Task A_deletion_empties_the_message_and_every_text_its_edits_carried()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        var message = await Send(alice, room.Id, "my secret");
        await Api.Read<MessageDto>(await Edit(alice, message.Id, "my other secret"));

        var deletion = await Api.Read<MessageDto>(await Delete(alice, message.Id));

        Assert.Equal((MessageKind.Delete, message.Id), (deletion.Kind, deletion.TargetId));
        var history = await History(alice, room.Id);
        Assert.Equal([MessageKind.Message, MessageKind.Edit, MessageKind.Delete], history.Select(m => m.Kind));
        Assert.All(history, m => Assert.Equal("", m.Text));
        Assert.Equal(deletion.Seq, history[0].ChangedSeq);
        Assert.NotNull(history[0].DeletedAt);
        Assert.False(await _api.InDatabase(db => db.Messages.AnyAsync(m => m.RoomId == room.Id && m.Text.Contains("secret"))));
    }

    [Fact]
    public async Task Every_member_hears_edits_and_deletions_live()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice, bob);
        var message = await Send(alice, room.Id, "first");
        await using var bobLive = await _api.ConnectLive(bob);
        var inbox = Api.Listen<MessageDto>(bobLive, LiveEvents.Message);

        await Edit(alice, message.Id, "second");
        await Delete(alice, message.Id);

        var edit = await inbox.Reader.ReadAsync().AsTask().Within();
        var deletion = await inbox.Reader.ReadAsync().AsTask().Within();
        Assert.Equal((MessageKind.Edit, message.Id, "second"), (edit.Kind, edit.TargetId, edit.Text));
        Assert.Equal((MessageKind.Delete, message.Id, edit.Seq + 1), (deletion.Kind, deletion.TargetId, deletion.Seq));
    }

    [Fact]
    public async Task Only_the_sender_edits_or_deletes_and_a_refusal_changes_nothing()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice, bob);
        var message = await Send(alice, room.Id, "mine");

        await Api.AssertProblem(await Edit(bob, message.Id, "yours now"), HttpStatusCode.Forbidden, ProblemCodes.MessageNotSender);
        await Api.AssertProblem(await Delete(bob, message.Id), HttpStatusCode.Forbidden, ProblemCodes.MessageNotSender);

        Assert.Equal(["mine"], (await History(alice, room.Id)).Select(m => m.Text));
        Assert.Equal(1, await _api.InDatabase(db => db.Rooms.Where(r => r.Id == room.Id).Select(r => r.LastSeq).SingleAsync()));
    }

    [Fact]
    public async Task Messages_outside_ones_rooms_and_unknown_ids_are_not_found_alike()
    {
        var alice = await _api.NewUser("alice");
        var mallory = await _api.NewUser("mallory");
        var room = await _api.NewRoom(alice);
        var message = await Send(alice, room.Id, "private");

        await Api.AssertProblem(await Edit(mallory, message.Id, "x"), HttpStatusCode.NotFound, ProblemCodes.MessageNotFound);
        await Api.AssertProblem(await Delete(mallory, message.Id), HttpStatusCode.NotFound, ProblemCodes.MessageNotFound);
        await Api.AssertProblem(await Edit(alice, "m_nosuchmessage", "x"), HttpStatusCode.NotFound, ProblemCodes.MessageNotFound);
        // An edit entry is not a message one can edit in turn.
        var edit = await Api.Read<MessageDto>(await Edit(alice, message.Id, "still private"));
        await Api.AssertProblem(await Delete(alice, edit.Id), HttpStatusCode.NotFound, ProblemCodes.MessageNotFound);
    }

    [Fact]
    public async Task A_deleted_message_cannot_be_edited_deleted_again_or_replied_to()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        var message = await Send(alice, room.Id, "gone soon");
        await Api.Read<MessageDto>(await Delete(alice, message.Id));

        await Api.AssertProblem(await Edit(alice, message.Id, "back"), HttpStatusCode.Conflict, ProblemCodes.MessageDeleted);
        await Api.AssertProblem(await Delete(alice, message.Id), HttpStatusCode.Conflict, ProblemCodes.MessageDeleted);
        await Api.AssertProblem(await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("re", ReplyToId: message.Id)),
            HttpStatusCode.Conflict, ProblemCodes.MessageDeleted);
        Assert.Equal(2, await _api.InDatabase(db => db.Messages.CountAsync(m => m.RoomId == room.Id)));
    }

    [Fact]
    public async Task A_reply_to_a_message_of_another_room_or_to_nothing_is_refused()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        var elsewhere = await _api.NewRoom(alice);
        var other = await Send(alice, elsewhere.Id, "over there");

        foreach (var replyToId in new[] { other.Id, "m_nosuchmessage", "" })
            await Api.AssertProblem(await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("re", ReplyToId: replyToId)),
                HttpStatusCode.BadRequest, ProblemCodes.MessageInvalidReply);
        Assert.Empty(await History(alice, room.Id));
    }

    [Theory]
    [InlineData("", ProblemCodes.MessageInvalidText)]
    [InlineData(" \t\u007f ", ProblemCodes.MessageInvalidText)]
    [InlineData("a\u0000b", ProblemCodes.RequestInvalid)]
    public async Task Edits_to_no_readable_text_are_refused(string text, string code)
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        var message = await Send(alice, room.Id, "keep me");

        await Api.AssertProblem(await Edit(alice, message.Id, text), HttpStatusCode.BadRequest, code);
        Assert.Equal(["keep me"], (await History(alice, room.Id)).Select(m => m.Text));
    }

    [Fact]
    public async Task Edits_keep_to_the_message_length_limit()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Limits:MaxMessageLength"] = "10" });
        var api = new Api(server);
        var alice = await api.NewUser();
        var room = await api.NewRoom(alice);
        var message = await Send(alice, room.Id, "short");

        await Api.AssertProblem(await Edit(alice, message.Id, new string('a', 11)), HttpStatusCode.BadRequest, ProblemCodes.MessageInvalidText);
        await Api.Read<MessageDto>(await Edit(alice, message.Id, new string('a', 10)));
    }

    [Fact]
    public async Task Concurrent_edits_and_a_deletion_leave_the_message_deleted_with_gapless_seqs()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        var message = await Send(alice, room.Id, "v0");

        var answers = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Edit(alice, message.Id, $"v{i}")).Append(Delete(alice, message.Id)));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, a.StatusCode.ToString()));
        var history = await History(alice, room.Id);
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(m => m.Seq));
        Assert.Equal(MessageKind.Delete, history[^1].Kind);
        Assert.Equal(("", history[^1].Seq), (history[0].Text, history[0].ChangedSeq));
    }
}
