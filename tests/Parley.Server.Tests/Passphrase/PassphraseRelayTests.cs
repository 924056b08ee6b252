using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Passphrase;
using Parley.Core.Problems;

namespace Parley.Server.Tests.Passphrase;

public sealed class PassphraseRelayTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string Passphrase = "crossover-clockwork";
    private readonly Api _api = fixture.Api;

    private static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);

    /// <summary>A named request from A to B, with A's real SPAKE2 share, up to B receiving it live.</summary>
    private static async Task<(Spake2 SpakeA, PakeSessionDto Started, PakeSessionDto Request)> Request(PakeParty a, PakeParty b)
    {
        var spakeA = Spake2.Start(Spake2Role.A, PassphraseSecret.Derive(Passphrase, a.User.Name, b.User.Name));
        var started = await Api.Read<PakeSessionDto>(await Api.PostJson(a.User.Http, "/api/passphrase/sessions",
            new StartPakeRequest(B64(spakeA.Share), To: b.User.Name)), HttpStatusCode.Created);
        return (spakeA, started, await b.Next(PakeEvents.Request));
    }

    /// <summary>Runs the handshake with real SPAKE2 on both sides, returning both confirmed keys' channels.</summary>
    private async Task<(SecureChannel A, SecureChannel B, PakeSessionDto Session)> Connect(PakeParty a, PakeParty b, string passphraseB = Passphrase)
    {
        var (spakeA, started, request) = await Request(a, b);
        Assert.Equal((started.Id, a.User.Name), (request.Id, request.Initiator));
        var spakeB = Spake2.Start(Spake2Role.B, PassphraseSecret.Derive(passphraseB, request.Initiator, b.User.Name));
        var confirmationB = spakeB.Finish(Convert.FromBase64String(request.RequestShare));
        var randomB = SessionKeys.CreateRandom();
        await Api.Read<PakeSessionDto>(await Api.PostJson(b.User.Http, $"/api/passphrase/sessions/{started.Id}/answer",
            new AnswerPakeRequest(B64(spakeB.Share), B64(confirmationB.OwnConfirmation), B64(randomB))));

        var answer = await a.Next(PakeEvents.Answer);
        var confirmationA = spakeA.Finish(Convert.FromBase64String(answer.AnswerShare!));
        var keyA = confirmationA.VerifyPeer(Convert.FromBase64String(answer.AnswerConfirmation!));
        var randomA = SessionKeys.CreateRandom();
        await Api.Read<PakeSessionDto>(await Api.PostJson(a.User.Http, $"/api/passphrase/sessions/{started.Id}/confirm",
            new ConfirmPakeRequest(B64(confirmationA.OwnConfirmation), B64(randomA))));

        var connectedA = await a.Next(PakeEvents.Connected);
        var connectedB = await b.Next(PakeEvents.Connected);
        var keyB = confirmationB.VerifyPeer(Convert.FromBase64String(connectedB.ConfirmConfirmation!));
        var sessionId = Encoding.UTF8.GetBytes(started.Id);
        return (keyA.CreateChannel(randomA, randomB, sessionId), keyB.CreateChannel(Convert.FromBase64String(connectedB.ConfirmRandom!), randomB, sessionId), connectedA);
    }

    [Fact]
    public async Task Same_passphrase_connects_and_messages_travel_end_to_end_encrypted()
    {
        await using var alice = await PakeParty.Join(_api, "alice");
        await using var bob = await PakeParty.Join(_api, "bob");
        var (channelA, channelB, session) = await Connect(alice, bob);
        Assert.Equal(PakeState.Connected, session.State);
        const string secret = "the eagle lands at dawn 7f3a";

        await Api.Read<PakeFrameDto>(await Api.PostJson(alice.User.Http, $"/api/passphrase/sessions/{session.Id}/messages",
            new PakeFrameRequest(B64(channelA.Seal(Encoding.UTF8.GetBytes(secret))))), HttpStatusCode.Created);
        var frame = await bob.Frames.Reader.ReadAsync().AsTask().Within();
        Assert.Equal(secret, Encoding.UTF8.GetString(channelB.Open(Convert.FromBase64String(frame.Frame))));

        await Api.PostJson(bob.User.Http, $"/api/passphrase/sessions/{session.Id}/messages", new PakeFrameRequest(B64(channelB.Seal("roger"u8))));
        var reply = await alice.Frames.Reader.ReadAsync().AsTask().Within();
        Assert.Equal("roger", Encoding.UTF8.GetString(channelA.Open(Convert.FromBase64String(reply.Frame))));

        // A replayed frame (the relay sending it again) is refused by the receiver.
        Assert.Throws<PassphraseProtocolException>(() => channelB.Open(Convert.FromBase64String(frame.Frame)));
        // The server holds ciphertext only.
        var stored = await Api.Read<PakeFramePage>(await bob.User.Http.GetAsync($"/api/passphrase/sessions/{session.Id}/messages?after=0"));
        Assert.Equal(2, stored.Frames.Count);
        Assert.True((await fixture.Server.StoredBytesAsync()).AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, "Plaintext found on the server.");
    }

    [Fact]
    public async Task A_wrong_passphrase_fails_key_confirmation_and_both_are_told()
    {
        await using var alice = await PakeParty.Join(_api, "alice");
        await using var bob = await PakeParty.Join(_api, "bob");
        var (spakeA, started, request) = await Request(alice, bob);
        var spakeB = Spake2.Start(Spake2Role.B, PassphraseSecret.Derive("wrong-guess", request.Initiator, bob.User.Name));
        var confirmationB = spakeB.Finish(Convert.FromBase64String(request.RequestShare));
        await Api.PostJson(bob.User.Http, $"/api/passphrase/sessions/{started.Id}/answer",
            new AnswerPakeRequest(B64(spakeB.Share), B64(confirmationB.OwnConfirmation), B64(SessionKeys.CreateRandom())));

        var answer = await alice.Next(PakeEvents.Answer);
        var confirmationA = spakeA.Finish(Convert.FromBase64String(answer.AnswerShare!));
        Assert.Throws<PassphraseProtocolException>(() => confirmationA.VerifyPeer(Convert.FromBase64String(answer.AnswerConfirmation!)));
        await Api.PostJson(alice.User.Http, $"/api/passphrase/sessions/{started.Id}/fail", new { });

        Assert.Equal(ProblemCodes.PassphraseMismatch, (await alice.Next(PakeEvents.Failed)).Failure);
        Assert.Equal(ProblemCodes.PassphraseMismatch, (await bob.Next(PakeEvents.Failed)).Failure);
        // The slot is dead: confirming anyway is refused.
        await Api.AssertProblem(await Api.PostJson(alice.User.Http, $"/api/passphrase/sessions/{started.Id}/confirm",
            new ConfirmPakeRequest(B64(confirmationA.OwnConfirmation), B64(SessionKeys.CreateRandom()))), HttpStatusCode.Conflict, ProblemCodes.PassphraseWrongState);
        // In a named session the initiator chose whom to ask: the failed guess is charged to alice.
        Assert.Equal(alice.User.Id, await _api.InDatabase(db => db.PakeSessions.Where(s => s.Id == started.Id).Select(s => s.BlamedUserId).SingleAsync()));
    }

    [Fact]
    public async Task A_share_altered_in_transit_is_caught_by_key_confirmation()
    {
        await using var alice = await PakeParty.Join(_api, "alice");
        await using var bob = await PakeParty.Join(_api, "bob");
        var (spakeA, started, request) = await Request(alice, bob);
        var spakeB = Spake2.Start(Spake2Role.B, PassphraseSecret.Derive(Passphrase, request.Initiator, bob.User.Name));
        var confirmationB = spakeB.Finish(Convert.FromBase64String(request.RequestShare));
        // A man in the middle swaps B's share for one of its own (a valid point, so only confirmation can tell).
        var mitm = Spake2.Start(Spake2Role.B, PassphraseSecret.Derive("mitm-guess", request.Initiator, bob.User.Name));
        await Api.PostJson(bob.User.Http, $"/api/passphrase/sessions/{started.Id}/answer",
            new AnswerPakeRequest(B64(mitm.Share), B64(confirmationB.OwnConfirmation), B64(SessionKeys.CreateRandom())));

        var answer = await alice.Next(PakeEvents.Answer);
        var confirmationA = spakeA.Finish(Convert.FromBase64String(answer.AnswerShare!));

        Assert.Throws<PassphraseProtocolException>(() => confirmationA.VerifyPeer(Convert.FromBase64String(answer.AnswerConfirmation!)));
    }

    [Fact]
    public async Task A_code_session_is_claimed_by_one_person_only()
    {
        await using var alice = await PakeParty.Join(_api, "alice");
        await using var bob = await PakeParty.Join(_api, "bob");
        var carol = await _api.NewUser("carol");
        var (identityA, identityB) = PakeRules.Identities(alice.User.Name, responder: null, codeMode: true);
        var spakeA = Spake2.Start(Spake2Role.A, PassphraseSecret.Derive(Passphrase, identityA, identityB));
        var started = await Api.Read<PakeSessionDto>(await Api.PostJson(alice.User.Http, "/api/passphrase/sessions",
            new StartPakeRequest(B64(spakeA.Share), Code: true)), HttpStatusCode.Created);
        Assert.InRange(started.Slot!.Value, 1, 999);

        await Api.AssertProblem(await alice.User.Http.PostAsync($"/api/passphrase/slots/{started.Slot}/claim", null), HttpStatusCode.BadRequest, ProblemCodes.PassphraseSelf);
        var claimed = await Api.Read<PakeSessionDto>(await bob.User.Http.PostAsync($"/api/passphrase/slots/{started.Slot}/claim", null));
        Assert.Equal((started.Id, bob.User.Name), (claimed.Id, claimed.Responder));
        // A claimed slot answers like a free one: a sweep cannot tell them apart.
        await Api.AssertProblem(await carol.Http.PostAsync($"/api/passphrase/slots/{started.Slot}/claim", null), HttpStatusCode.NotFound, ProblemCodes.PassphraseNotFound);
        await Api.AssertProblem(await Api.PostJson(carol.Http, $"/api/passphrase/sessions/{started.Id}/answer",
            new AnswerPakeRequest(B64(spakeA.Share), B64(new byte[32]), B64(new byte[32]))), HttpStatusCode.NotFound, ProblemCodes.PassphraseNotFound);
    }

    [Fact]
    public async Task Malformed_shares_and_frames_are_refused()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");

        await Api.AssertProblem(await Api.PostJson(alice.Http, "/api/passphrase/sessions", new StartPakeRequest(B64(new byte[64]), To: bob.Name)),
            HttpStatusCode.BadRequest, ProblemCodes.PassphraseInvalidShare);
        await Api.AssertProblem(await Api.PostJson(alice.Http, "/api/passphrase/sessions", new StartPakeRequest("%%%", To: bob.Name)),
            HttpStatusCode.BadRequest, ProblemCodes.PassphraseInvalidShare);
        await Api.AssertProblem(await Api.PostJson(alice.Http, "/api/passphrase/sessions", new StartPakeRequest(B64(new byte[65]), To: alice.Name)),
            HttpStatusCode.BadRequest, ProblemCodes.PassphraseSelf);
        await Api.AssertProblem(await Api.PostJson(alice.Http, "/api/passphrase/sessions", new StartPakeRequest(B64(new byte[65]), To: "nobody-here")),
            HttpStatusCode.NotFound, ProblemCodes.UserNotFound);
        var started = await Api.Read<PakeSessionDto>(await Api.PostJson(alice.Http, "/api/passphrase/sessions",
            new StartPakeRequest(B64(new byte[65]), To: bob.Name)), HttpStatusCode.Created);
        await Api.AssertProblem(await Api.PostJson(alice.Http, $"/api/passphrase/sessions/{started.Id}/messages", new PakeFrameRequest(B64([1, 2, 3]))),
            HttpStatusCode.Conflict, ProblemCodes.PassphraseWrongState);
        await Api.AssertProblem(await Api.PostJson(bob.Http, $"/api/passphrase/sessions/{started.Id}/answer",
            new AnswerPakeRequest(B64(new byte[65]), B64(new byte[31]), B64(new byte[32]))), HttpStatusCode.BadRequest, ProblemCodes.PassphraseInvalidShare);
    }

    [Fact]
    public async Task Outsiders_see_nothing_of_a_session()
    {
        await using var alice = await PakeParty.Join(_api, "alice");
        await using var bob = await PakeParty.Join(_api, "bob");
        var mallory = await _api.NewUser("mallory");
        var (channelA, _, session) = await Connect(alice, bob);

        await Api.AssertProblem(await mallory.Http.GetAsync($"/api/passphrase/sessions/{session.Id}"), HttpStatusCode.NotFound, ProblemCodes.PassphraseNotFound);
        await Api.AssertProblem(await mallory.Http.GetAsync($"/api/passphrase/sessions/{session.Id}/messages"), HttpStatusCode.NotFound, ProblemCodes.PassphraseNotFound);
        await Api.AssertProblem(await Api.PostJson(mallory.Http, $"/api/passphrase/sessions/{session.Id}/messages", new PakeFrameRequest(B64(channelA.Seal("x"u8)))),
            HttpStatusCode.NotFound, ProblemCodes.PassphraseNotFound);
        await Api.AssertProblem(await Api.PostJson(alice.User.Http, $"/api/passphrase/sessions/{session.Id}/messages", new PakeFrameRequest(B64(new byte[PakeRules.MaxFrameLength + 1]))),
            HttpStatusCode.BadRequest, ProblemCodes.PassphraseInvalidFrame);
    }

    [Fact]
    public async Task Frames_sent_at_once_by_both_parties_are_numbered_without_gaps_or_duplicates()
    {
        await using var alice = await PakeParty.Join(_api, "alice");
        await using var bob = await PakeParty.Join(_api, "bob");
        var (_, _, session) = await Connect(alice, bob);
        const int each = 12;

        var sends = Enumerable.Range(0, 2 * each).Select(i => Api.PostJson((i % 2 == 0 ? alice : bob).User.Http,
            $"/api/passphrase/sessions/{session.Id}/messages", new PakeFrameRequest(B64([(byte)i]))));
        var sent = await Task.WhenAll(sends);

        Assert.All(sent, response => Assert.Equal(HttpStatusCode.Created, response.StatusCode));
        var stored = await Api.Read<PakeFramePage>(await bob.User.Http.GetAsync($"/api/passphrase/sessions/{session.Id}/messages?after=0"));
        Assert.Equal(Enumerable.Range(1, 2 * each).Select(i => (long)i), stored.Frames.Select(f => f.Seq));
    }
}
