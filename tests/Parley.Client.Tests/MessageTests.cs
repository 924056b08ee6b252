using Parley.Core.Problems;
using Parley.Core.Rooms;

namespace Parley.Client.Tests;

public sealed class MessageTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task History_pages_newest_first_backwards_and_after_a_cursor_forwards()
    {
        var alice = await fixture.NewUserAsync("alice");
        var roomId = await ServerFixture.NewRoomAsync(alice);
        for (var i = 1; i <= 5; i++) await alice.Client.SendToRoomAsync(roomId, $"m{i}");

        var newest = await alice.Client.GetHistoryAsync(roomId, limit: 2);
        var before = await alice.Client.GetHistoryAsync(roomId, before: 4, limit: 2);
        var after = await alice.Client.GetHistoryAsync(roomId, after: 2, limit: 2);

        Assert.Equal([4, 5], newest.Messages.Select(m => m.Seq));
        Assert.Equal([2, 3], before.Messages.Select(m => m.Seq));
        Assert.Equal([3, 4], after.Messages.Select(m => m.Seq));
        Assert.True(newest.HasMore && before.HasMore && after.HasMore);
        Assert.Equal(["m3", "m4"], after.Messages.Select(m => m.Text).ToArray());
    }

    [Fact]
    public async Task Catching_up_reads_every_page_after_the_cursor()
    {
        var alice = await fixture.NewUserAsync("alice");
        var roomId = await ServerFixture.NewRoomAsync(alice);
        const int count = 205; // more than one page of the largest size (200)
        for (var i = 1; i <= count; i++) await alice.Client.SendToRoomAsync(roomId, $"m{i}");

        var seqs = new List<long>();
        await foreach (var message in alice.Client.CatchUpAsync(roomId, after: 3)) seqs.Add(message.Seq);

        Assert.Equal(Enumerable.Range(4, count - 3).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task A_direct_message_opens_a_room_named_after_the_peer_on_each_side()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");

        var sent = await alice.Client.SendToUserAsync(bob.Name, "hi bob");
        await bob.Client.SendToUserAsync(alice.Name, "hi alice");

        var alicesRoom = Assert.Single((await alice.Client.ListRoomsAsync()).Rooms);
        var bobsRoom = Assert.Single((await bob.Client.ListRoomsAsync()).Rooms);
        Assert.Equal((sent.RoomId, RoomKind.Direct, bob.Name), (alicesRoom.Id, alicesRoom.Kind, alicesRoom.Name));
        Assert.Equal((sent.RoomId, alice.Name), (bobsRoom.Id, bobsRoom.Name));
        Assert.Equal(["hi bob", "hi alice"], (await bob.Client.GetHistoryAsync(sent.RoomId)).Messages.Select(m => m.Text).ToArray());
    }

    [Fact]
    public async Task Resending_with_the_same_client_message_id_posts_once()
    {
        var alice = await fixture.NewUserAsync("alice");
        var roomId = await ServerFixture.NewRoomAsync(alice);

        var first = await alice.Client.SendToRoomAsync(roomId, "only once", clientMessageId: "retry-1");
        var retry = await alice.Client.SendToRoomAsync(roomId, "only once", clientMessageId: "retry-1");

        Assert.Equal((first.Id, first.Seq, first.Text), (retry.Id, retry.Seq, retry.Text));
        Assert.Single((await alice.Client.GetHistoryAsync(roomId)).Messages);
    }

    [Fact]
    public async Task Malformed_messages_and_cursors_are_refused_with_their_codes()
    {
        var alice = await fixture.NewUserAsync("alice");
        var roomId = await ServerFixture.NewRoomAsync(alice);

        await ApiAssert.Refused(400, ProblemCodes.MessageInvalidText, () => alice.Client.SendToRoomAsync(roomId, "   "));
        await ApiAssert.Refused(400, ProblemCodes.MessageToSelf, () => alice.Client.SendToUserAsync(alice.Name, "me"));
        await ApiAssert.Refused(400, ProblemCodes.MessageInvalidCursor, () => alice.Client.GetHistoryAsync(roomId, after: 1, before: 5));
        await ApiAssert.Refused(400, ProblemCodes.RequestInvalid, () => alice.Client.GetHistoryAsync(roomId, limit: 0));
    }
}
