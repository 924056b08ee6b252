using Microsoft.AspNetCore.SignalR.Client;
using Parley.Core.Messaging;
using Parley.Core.Problems;

namespace Parley.Client.Tests;

/// <summary>The room follower's promise: every message of the room, in seq order, exactly once, across gaps and reconnects.</summary>
public sealed class FollowerTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Following_yields_the_messages_after_the_cursor_then_new_ones_live()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var roomId = await ServerFixture.NewRoomAsync(alice, bob);
        for (var i = 1; i <= 3; i++) await alice.Client.SendToRoomAsync(roomId, $"before {i}");

        await using var live = new ParleyLive(bob.Client);
        await using var follower = new Follower(live.FollowRoomAsync(roomId, afterSeq: 1));
        var caughtUp = await follower.NextAsync(2);
        await alice.Client.SendToRoomAsync(roomId, "live 4");
        await alice.Client.SendToRoomAsync(roomId, "live 5");
        var heardLive = await follower.NextAsync(2);

        Assert.Equal(["before 2", "before 3", "live 4", "live 5"], caughtUp.Concat(heardLive).Select(m => m.Text).ToArray());
        Assert.True(live.IsConnected);
    }

    [Fact]
    public async Task Resuming_from_the_cursor_after_going_offline_delivers_each_missed_message_once()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var roomId = await ServerFixture.NewRoomAsync(alice, bob);

        long cursor;
        await using (var live = new ParleyLive(bob.Client))
        await using (var follower = new Follower(live.FollowRoomAsync(roomId, afterSeq: 0)))
        {
            await follower.ReadThroughMarkerAsync(alice, roomId);
            cursor = follower.Received[^1].Seq;
        }
        for (var i = 1; i <= 3; i++) await alice.Client.SendToRoomAsync(roomId, $"while offline {i}");

        await using (var live = new ParleyLive(bob.Client))
        await using (var follower = new Follower(live.FollowRoomAsync(roomId, cursor)))
        {
            await follower.NextAsync(3);
            await follower.ReadThroughMarkerAsync(alice, roomId);
            AssertEachOnceInOrder(follower.Received, from: cursor + 1);
            Assert.Equal(["while offline 1", "while offline 2", "while offline 3"], follower.Received.Take(3).Select(m => m.Text).ToArray());
        }
    }

    [Fact]
    public async Task After_the_connection_drops_the_follower_catches_up_on_what_it_missed()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        var roomId = await ServerFixture.NewRoomAsync(alice, bob);
        using var relay = new LoopbackRelay(fixture.Server.BaseAddress);
        var bobViaRelay = fixture.NewClient(bob.Client.Token, relay.Address);
        await using var live = new ParleyLive(bobViaRelay, new QuickRetry());
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        live.Reconnecting += _ => dropped.TrySetResult();
        await using var follower = new Follower(live.FollowRoomAsync(roomId, afterSeq: 0));
        await follower.ReadThroughMarkerAsync(alice, roomId);

        relay.Cut();
        await dropped.Task.WaitAsync(ServerFixture.Patience);
        for (var i = 1; i <= 3; i++) await alice.Client.SendToRoomAsync(roomId, $"while down {i}");
        relay.Resume();

        await follower.NextAsync(3);
        await follower.ReadThroughMarkerAsync(alice, roomId);
        AssertEachOnceInOrder(follower.Received, from: 1);
        Assert.Equal(3, follower.Received.Count(m => m.Text.StartsWith("while down", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Messages_from_concurrent_senders_come_out_in_seq_order_without_duplicates()
    {
        var alice = await fixture.NewUserAsync("alice");
        var senders = new[] { await fixture.NewUserAsync("bob"), await fixture.NewUserAsync("carol"), await fixture.NewUserAsync("dave") };
        var roomId = await ServerFixture.NewRoomAsync(alice, senders);
        await using var live = new ParleyLive(alice.Client);
        await using var follower = new Follower(live.FollowRoomAsync(roomId, afterSeq: 0));
        await follower.ReadThroughMarkerAsync(alice, roomId);

        const int perSender = 10;
        await Task.WhenAll(senders.Select(async sender =>
        {
            for (var i = 0; i < perSender; i++) await sender.Client.SendToRoomAsync(roomId, $"{sender.Name} {i}");
        }));
        await follower.NextAsync(senders.Length * perSender);
        await follower.ReadThroughMarkerAsync(alice, roomId);

        AssertEachOnceInOrder(follower.Received, from: 1);
    }

    [Fact]
    public async Task Following_a_room_one_is_not_in_is_refused()
    {
        var alice = await fixture.NewUserAsync("alice");
        var mallory = await fixture.NewUserAsync("mallory");
        var roomId = await ServerFixture.NewRoomAsync(alice);
        await using var live = new ParleyLive(mallory.Client);

        await ApiAssert.Refused(403, ProblemCodes.RoomNotMember, async () =>
        {
            await foreach (var _ in live.FollowRoomAsync(roomId, 0)) { }
        });
    }

    /// <summary>Seqs from <paramref name="from"/> up, each once: nothing missed, nothing twice.</summary>
    private static void AssertEachOnceInOrder(IReadOnlyList<MessageDto> received, long from) =>
        Assert.Equal(Enumerable.Range(0, received.Count).Select(i => from + i), received.Select(m => m.Seq));

    /// <summary>Retries every 50 ms, so a test waits for the relay rather than for SignalR's back-off.</summary>
    private sealed class QuickRetry : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext context) =>
            context.ElapsedTime < ServerFixture.Patience ? TimeSpan.FromMilliseconds(50) : null;
    }
}
