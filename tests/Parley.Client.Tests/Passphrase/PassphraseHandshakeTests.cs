using Parley.Client.Passphrase;
using Parley.Core.Passphrase;
using Parley.Core.Problems;

namespace Parley.Client.Tests.Passphrase;

/// <summary>The SPAKE2 exchange through the real relay: who connects, and who is refused.</summary>
public sealed class PassphraseHandshakeTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Named_mode_connects_both_sides_and_messages_travel_both_ways()
    {
        await using var alice = await TalkParty.JoinAsync(fixture, "alice");
        await using var bob = await TalkParty.JoinAsync(fixture, "bob");

        using var pair = await ConnectedPair.NamedAsync(alice, bob);
        await using var alicesEvents = new SessionEvents(pair.Initiator);
        await using var bobsEvents = new SessionEvents(pair.Responder);

        Assert.Equal((Spake2Role.A, alice.Name, bob.Name), (pair.Initiator.Role, pair.Initiator.Self, pair.Initiator.Peer));
        Assert.Equal((Spake2Role.B, bob.Name, alice.Name), (pair.Responder.Role, pair.Responder.Self, pair.Responder.Peer));
        await pair.Initiator.SendAsync("hello bob");
        Assert.Equal("hello bob", await bobsEvents.NextTextAsync());
        await pair.Responder.SendAsync("hi alice");
        await pair.Responder.SendAsync("how are you?");
        Assert.Equal("hi alice", await alicesEvents.NextTextAsync());
        Assert.Equal("how are you?", await alicesEvents.NextTextAsync());

        await pair.Initiator.CloseAsync();
        Assert.Equal(alice.Name, (await bobsEvents.NextAsync<PassphrasePeerLeft>()).Peer);
        await bobsEvents.Completion.WaitAsync(ServerFixture.Patience);
    }

    [Fact]
    public async Task A_responder_who_starts_listening_after_the_request_still_answers_it()
    {
        await using var alice = await TalkParty.JoinAsync(fixture, "alice");
        await using var bob = await TalkParty.JoinAsync(fixture, "bob");
        using var initiation = await PassphraseHandshake.StartAsync(alice.Client, alice.Live, bob.Name, ConnectedPair.Passphrase);

        // Bob was not listening when the live request went out; his inbox finds it waiting on the server, once.
        using var inbox = await PassphraseHandshake.ListenAsync(bob.Client, bob.Live);
        var request = await inbox.NextRequestAsync().WaitAsync(ServerFixture.Patience);
        Assert.Equal((initiation.SessionId, alice.Name), (request.SessionId, request.From));

        var connecting = initiation.ConnectAsync();
        using var responder = await inbox.AcceptAsync(request, ConnectedPair.Passphrase).WaitAsync(ServerFixture.Patience);
        using var initiator = await connecting.WaitAsync(ServerFixture.Patience);
        Assert.Equal((bob.Name, alice.Name), (initiator.Peer, responder.Peer));
    }

    [Fact]
    public async Task Code_mode_connects_whoever_enters_the_code()
    {
        await using var alice = await TalkParty.JoinAsync(fixture, "alice");
        await using var bob = await TalkParty.JoinAsync(fixture, "bob");

        using var initiation = await PassphraseHandshake.StartWithCodeAsync(alice.Client, alice.Live);
        var code = initiation.Code!;
        // What a person reads out and types in: the code's text, not the object.
        var typed = PassphraseCode.Parse(code.ToString().ToUpperInvariant().Replace('-', ' '));
        var connecting = initiation.ConnectAsync();
        using var responder = await PassphraseHandshake.JoinAsync(bob.Client, bob.Live, typed).WaitAsync(ServerFixture.Patience);
        using var initiator = await connecting.WaitAsync(ServerFixture.Patience);
        await using var alicesEvents = new SessionEvents(initiator);
        await using var bobsEvents = new SessionEvents(responder);

        Assert.InRange(code.Slot, 1, 999);
        Assert.Equal((bob.Name, alice.Name), (initiator.Peer, responder.Peer));
        await initiator.SendAsync("the code worked");
        Assert.Equal("the code worked", await bobsEvents.NextTextAsync());
        await responder.SendAsync("it did");
        Assert.Equal("it did", await alicesEvents.NextTextAsync());
    }

    [Fact]
    public async Task A_wrong_passphrase_fails_both_sides_with_mismatch()
    {
        await using var alice = await TalkParty.JoinAsync(fixture, "alice");
        await using var bob = await TalkParty.JoinAsync(fixture, "bob");
        var (initiator, responder, sessionId) = await StartNamedAsync(alice, bob, ConnectedPair.Passphrase, "a wrong guess");

        var failure = await Assert.ThrowsAsync<PassphraseFailedException>(() => initiator.WaitAsync(ServerFixture.Patience));
        Assert.Equal((ProblemCodes.PassphraseMismatch, "wrong passphrase"), (failure.Code, failure.Reason));
        Assert.Equal(ProblemCodes.PassphraseMismatch, (await Assert.ThrowsAsync<PassphraseFailedException>(() => responder.WaitAsync(ServerFixture.Patience))).Code);
        var session = await alice.Client.GetPassphraseSessionAsync(sessionId);
        Assert.Equal((PakeState.Failed, ProblemCodes.PassphraseMismatch), (session.State, session.Failure));
    }

    [Fact]
    public async Task A_share_swapped_in_transit_is_caught_by_key_confirmation_and_nobody_connects()
    {
        var relay = new ShareSwappingRelay();
        await using var alice = await TalkParty.JoinAsync(fixture, "alice", relay);
        await using var bob = await TalkParty.JoinAsync(fixture, "bob");
        var (initiator, responder, sessionId) = await StartNamedAsync(alice, bob, ConnectedPair.Passphrase, ConnectedPair.Passphrase);

        Assert.True(relay.Swapped);
        Assert.Equal(ProblemCodes.PassphraseMismatch, (await Assert.ThrowsAsync<PassphraseFailedException>(() => initiator.WaitAsync(ServerFixture.Patience))).Code);
        Assert.Equal(ProblemCodes.PassphraseMismatch, (await Assert.ThrowsAsync<PassphraseFailedException>(() => responder.WaitAsync(ServerFixture.Patience))).Code);
        Assert.Equal(PakeState.Failed, (await bob.Client.GetPassphraseSessionAsync(sessionId)).State);
    }

    [Fact]
    public async Task A_code_whose_words_are_wrong_fails_both_sides_and_the_slot_dies()
    {
        await using var alice = await TalkParty.JoinAsync(fixture, "alice");
        await using var bob = await TalkParty.JoinAsync(fixture, "bob");
        await using var carol = await TalkParty.JoinAsync(fixture, "carol");
        using var initiation = await PassphraseHandshake.StartWithCodeAsync(alice.Client, alice.Live);
        var code = initiation.Code!;
        var misheard = PassphraseCode.Parse($"{code.Slot}-{(code.Passphrase == "adroitness-aardvark" ? "adviser" : "adroitness")}-aardvark");

        var connecting = initiation.ConnectAsync();
        var joining = PassphraseHandshake.JoinAsync(bob.Client, bob.Live, misheard);

        Assert.Equal(ProblemCodes.PassphraseMismatch, (await Assert.ThrowsAsync<PassphraseFailedException>(() => connecting.WaitAsync(ServerFixture.Patience))).Code);
        Assert.Equal(ProblemCodes.PassphraseMismatch, (await Assert.ThrowsAsync<PassphraseFailedException>(() => joining.WaitAsync(ServerFixture.Patience))).Code);
        // One guess per slot: the right code is no use now.
        await ApiAssert.Refused(404, ProblemCodes.PassphraseNotFound, () => PassphraseHandshake.JoinAsync(carol.Client, carol.Live, code));
    }

    /// <summary>
    /// Named mode up to the point where both sides run at once: the responder listens, the initiator
    /// asks, and each then finishes with its own passphrase.
    /// </summary>
    private static async Task<(Task<PassphraseSession> Initiator, Task<PassphraseSession> Responder, string SessionId)> StartNamedAsync(
        TalkParty initiator, TalkParty responder, string initiatorPassphrase, string responderPassphrase)
    {
        var inbox = await PassphraseHandshake.ListenAsync(responder.Client, responder.Live);
        var initiation = await PassphraseHandshake.StartAsync(initiator.Client, initiator.Live, responder.Name, initiatorPassphrase);
        var request = await inbox.NextRequestAsync().WaitAsync(ServerFixture.Patience);
        return (Finish(initiation, initiation.ConnectAsync()), Finish(inbox, inbox.AcceptAsync(request, responderPassphrase)), request.SessionId);
    }

    private static async Task<PassphraseSession> Finish(IDisposable handshake, Task<PassphraseSession> connecting)
    {
        using (handshake) return await connecting;
    }
}
