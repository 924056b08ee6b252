using Parley.Client.Tests.Transfer;
using Parley.Core.Broadcast;
using Parley.Core.Problems;
using Parley.Core.Transfer;

namespace Parley.Client.Tests.Broadcast;

/// <summary><see cref="ParleyClient.GetTicketAsync"/> and <see cref="ParleyClient.BroadcastAsync"/> against one server playing both roles.</summary>
public sealed class BroadcastClientTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public async Task A_ticketed_picture_reaches_the_other_members_live_and_the_ticket_is_then_used_up()
    {
        var (alice, bob) = (await fixture.NewUserAsync("alice"), await fixture.NewUserAsync("bob"));
        var roomId = await ServerFixture.NewRoomAsync(alice, bob);
        await using var bobsLive = new ParleyLive(bob.Client);
        var received = Next<BroadcastEvent>(handler => bobsLive.BroadcastReceived += handler);
        await bobsLive.StartAsync();
        var (path, picture) = _files.Write("sunset.png", TestPictures.Png(seed: 1));

        var ticket = await alice.Client.GetTicketAsync(path, roomId);
        var sent = await alice.Client.BroadcastAsync(roomId, ticket.Ticket);

        Assert.Equal((ContentId.Of(picture).ToString(), DedupTier.None, (long)picture.Length), (ticket.ContentId, ticket.Dedup, ticket.BytesUploaded));
        Assert.Equal(1, sent.Reached);
        var seen = await received.WaitAsync(ServerFixture.Patience);
        Assert.Equal((roomId, sent.MessageId, alice.Name, ticket.ContentId, "image/png"), (seen.RoomId, seen.MessageId, seen.SenderName, seen.ContentId, seen.MediaType));
        Assert.StartsWith("data:image/jpeg;base64,", seen.Thumbnail);
        await ApiAssert.Refused(409, ProblemCodes.TicketReplayed, () => alice.Client.BroadcastAsync(roomId, ticket.Ticket));
    }

    [Fact]
    public async Task A_ticket_altered_by_one_character_is_refused_and_uses_up_nothing()
    {
        var alice = await fixture.NewUserAsync("alice");
        var roomId = await ServerFixture.NewRoomAsync(alice, await fixture.NewUserAsync("bob"));
        var (path, _) = _files.Write("map.png", TestPictures.Png(seed: 2));
        var ticket = await alice.Client.GetTicketAsync(path, roomId);

        await ApiAssert.Refused(403, ProblemCodes.TicketTampered, () => alice.Client.BroadcastAsync(roomId, TestPictures.AlterOneCharacter(ticket.Ticket)));
        Assert.Equal(1, (await alice.Client.BroadcastAsync(roomId, ticket.Ticket)).Reached);
    }

    [Fact]
    public async Task A_picture_the_server_has_is_proven_instead_of_uploaded_and_gets_its_own_ticket()
    {
        var alice = await fixture.NewUserAsync("alice");
        var roomId = await ServerFixture.NewRoomAsync(alice);
        var (path, _) = _files.Write("logo.png", TestPictures.Png(seed: 3));
        var first = await alice.Client.GetTicketAsync(path, roomId);

        var again = await alice.Client.GetTicketAsync(path, roomId);

        Assert.Equal((DedupTier.Local, 0L), (again.Dedup, again.BytesUploaded));
        Assert.NotEqual(first.Ticket, again.Ticket);
        Assert.Equal(0, (await alice.Client.BroadcastAsync(roomId, again.Ticket)).Reached);
    }

    private static Task<T> Next<T>(Action<Action<T>> subscribe)
    {
        var next = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe(value => next.TrySetResult(value));
        return next.Task;
    }

    public void Dispose() => _files.Dispose();
}
