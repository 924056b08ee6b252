using System.Text;
using Microsoft.AspNetCore.SignalR.Client;
using Parley.Client.Passphrase;
using Parley.Core.Passphrase;

namespace Parley.Client.Tests.Passphrase;

/// <summary>The encrypted channel of a connected session: order, catch-up, replays, and what the server gets to see.</summary>
public sealed class PassphraseChannelTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task The_server_relays_and_stores_ciphertext_only()
    {
        await using var alice = await TalkParty.JoinAsync(fixture, "alice");
        await using var bob = await TalkParty.JoinAsync(fixture, "bob");
        using var pair = await ConnectedPair.NamedAsync(alice, bob);
        await using var bobsEvents = new SessionEvents(pair.Responder);
        var secret = $"meet at the old mill {Guid.NewGuid():N}";

        await pair.Initiator.SendAsync(secret);

        Assert.Equal(secret, await bobsEvents.NextTextAsync());
        var stored = Assert.Single((await bob.Client.GetPassphraseFramesAsync(pair.Responder.Id, after: 0)).Frames);
        Assert.Equal(alice.Name, stored.Sender);
        Assert.DoesNotContain(secret, Encoding.UTF8.GetString(Convert.FromBase64String(stored.Frame)));
        ServerFiles.AssertNowhere(fixture.Server.DataDirectory, Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(ConnectedPair.Passphrase));
    }

    [Fact]
    public async Task Frames_sent_before_the_reader_starts_are_fetched_in_order_then_live_ones_follow()
    {
        await using var alice = await TalkParty.JoinAsync(fixture, "alice");
        await using var bob = await TalkParty.JoinAsync(fixture, "bob");
        using var pair = await ConnectedPair.NamedAsync(alice, bob);
        for (var i = 1; i <= 3; i++) await pair.Initiator.SendAsync($"early {i}");
        // Bob's own frames sit between Alice's in the relay's numbering; they are not his to read.
        await pair.Responder.SendAsync("bob's own");

        await using var bobsEvents = new SessionEvents(pair.Responder);
        await pair.Initiator.SendAsync("live 4");

        var received = new List<string>();
        for (var i = 0; i < 4; i++) received.Add(await bobsEvents.NextTextAsync());
        Assert.Equal(["early 1", "early 2", "early 3", "live 4"], received);
    }

    [Fact]
    public async Task A_frame_the_relay_replays_is_refused_and_not_delivered()
    {
        var relay = new FrameReplayingRelay();
        await using var alice = await TalkParty.JoinAsync(fixture, "alice", relay);
        await using var bob = await TalkParty.JoinAsync(fixture, "bob");
        using var pair = await ConnectedPair.NamedAsync(alice, bob);
        await using var bobsEvents = new SessionEvents(pair.Responder);

        relay.Replaying = true;
        await pair.Initiator.SendAsync("transfer 100 coins");
        relay.Replaying = false;
        await pair.Initiator.SendAsync("that was all");

        Assert.Equal("transfer 100 coins", await bobsEvents.NextTextAsync());
        var rejected = await bobsEvents.NextAsync<PassphraseFrameRejected>();
        Assert.Equal(PassphraseFailure.Replayed, rejected.Failure);
        // The refused copy changed nothing: the next genuine frame opens.
        Assert.Equal("that was all", await bobsEvents.NextTextAsync());
    }

    [Fact]
    public async Task After_the_live_connection_drops_the_reader_catches_up_on_what_it_missed()
    {
        await using var alice = await TalkParty.JoinAsync(fixture, "alice");
        var bob = await fixture.NewUserAsync("bob");
        using var network = new LoopbackRelay(fixture.Server.BaseAddress);
        var bobViaNetwork = fixture.NewClient(bob.Client.Token, network.Address);
        await using var bobsLive = new ParleyLive(bobViaNetwork, new QuickRetry());
        var dropped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bobsLive.Reconnecting += _ => dropped.TrySetResult();
        using var bobsSide = await PassphraseHandshake.ListenAsync(bobViaNetwork, bobsLive);
        using var initiation = await PassphraseHandshake.StartAsync(alice.Client, alice.Live, bob.Name, ConnectedPair.Passphrase);
        var request = await bobsSide.NextRequestAsync().WaitAsync(ServerFixture.Patience);
        var connecting = initiation.ConnectAsync();
        using var responder = await bobsSide.AcceptAsync(request, ConnectedPair.Passphrase).WaitAsync(ServerFixture.Patience);
        using var initiator = await connecting.WaitAsync(ServerFixture.Patience);
        await using var bobsEvents = new SessionEvents(responder);
        await initiator.SendAsync("before the drop");
        Assert.Equal("before the drop", await bobsEvents.NextTextAsync());

        network.Cut();
        await dropped.Task.WaitAsync(ServerFixture.Patience);
        await initiator.SendAsync("while you were away 1");
        await initiator.SendAsync("while you were away 2");
        network.Resume();

        Assert.Equal("while you were away 1", await bobsEvents.NextTextAsync());
        Assert.Equal("while you were away 2", await bobsEvents.NextTextAsync());
        await initiator.SendAsync("welcome back");
        Assert.Equal("welcome back", await bobsEvents.NextTextAsync());
    }

    [Fact]
    public async Task A_text_too_long_for_one_frame_is_refused_before_it_spends_a_counter()
    {
        await using var alice = await TalkParty.JoinAsync(fixture, "alice");
        await using var bob = await TalkParty.JoinAsync(fixture, "bob");
        using var pair = await ConnectedPair.NamedAsync(alice, bob);
        await using var bobsEvents = new SessionEvents(pair.Responder);

        await Assert.ThrowsAsync<ArgumentException>(() => pair.Initiator.SendAsync(new string('x', PakeRules.MaxFrameLength)));
        await pair.Initiator.SendAsync("short enough");

        Assert.Equal("short enough", await bobsEvents.NextTextAsync());
    }

    /// <summary>Retries every 50 ms, so a test waits for the network double rather than for SignalR's back-off.</summary>
    private sealed class QuickRetry : IRetryPolicy
    {
        public TimeSpan? NextRetryDelay(RetryContext context) =>
            context.ElapsedTime < ServerFixture.Patience ? TimeSpan.FromMilliseconds(50) : null;
    }
}
