using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Passphrase;
using Parley.Core.Problems;
using Parley.Testing;

namespace Parley.Server.Tests.Passphrase;

/// <summary>T1, T2 and the failure rate limit, on a server whose clock the test moves.</summary>
public sealed class PassphraseTimeoutTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-22T12:00:00Z"));
    private RunningServer _server = null!;
    private Api _api = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(
            new Dictionary<string, string>
            {
                ["Parley:Passphrase:AnswerTimeout"] = "00:00:30", ["Parley:Passphrase:ConfirmTimeout"] = "00:01:00",
                ["Parley:Passphrase:MaxFailures"] = "2",
            },
            configureServices: services => services.AddSingleton<TimeProvider>(_clock));
        _api = new Api(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string B64(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);
    private static readonly string AnyShare = B64(Spake2.Start(Spake2Role.A, PassphraseSecret.Derive("x", "a", "b")).Share);

    private static Task<PakeSessionDto> Start(PakeParty a, PakeParty b) => Start(a, b.User.Name);

    private static async Task<PakeSessionDto> Start(PakeParty a, string responder) =>
        await Api.Read<PakeSessionDto>(await Api.PostJson(a.User.Http, "/api/passphrase/sessions", new StartPakeRequest(AnyShare, To: responder)), HttpStatusCode.Created);

    private static Task<HttpResponseMessage> Answer(PakeParty b, string sessionId) =>
        Api.PostJson(b.User.Http, $"/api/passphrase/sessions/{sessionId}/answer", new AnswerPakeRequest(AnyShare, B64(new byte[32]), B64(new byte[32])));

    [Fact]
    public async Task Silence_past_T1_fails_the_session_for_both()
    {
        await using var alice = await PakeParty.Join(_api, "alice");
        await using var bob = await PakeParty.Join(_api, "bob");
        var session = await Start(alice, bob);
        await bob.Next(PakeEvents.Request);

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(PakeState.Requested, (await Api.Read<PakeSessionDto>(await alice.User.Http.GetAsync($"/api/passphrase/sessions/{session.Id}"))).State);
        _clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(ProblemCodes.PassphraseTimeoutT1, (await alice.Next(PakeEvents.Failed)).Failure);
        Assert.Equal(ProblemCodes.PassphraseTimeoutT1, (await bob.Next(PakeEvents.Failed)).Failure);
        Assert.Equal(HttpStatusCode.Conflict, (await Answer(bob, session.Id)).StatusCode);
    }

    [Fact]
    public async Task An_answer_after_T1_is_refused_and_ends_the_session()
    {
        await using var alice = await PakeParty.Join(_api, "alice");
        await using var bob = await PakeParty.Join(_api, "bob");
        var session = await Start(alice, bob);
        // Move the clock without letting timers decide: the arrival check alone must refuse.
        _clock.AutoAdvanceAmount = TimeSpan.Zero;
        var late = _clock.GetUtcNow() + TimeSpan.FromSeconds(31);
        _clock.SetUtcNow(late);

        var response = await Answer(bob, session.Id);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var state = await Api.Read<PakeSessionDto>(await alice.User.Http.GetAsync($"/api/passphrase/sessions/{session.Id}"));
        Assert.Equal((PakeState.Failed, ProblemCodes.PassphraseTimeoutT1), (state.State, state.Failure));
    }

    [Fact]
    public async Task An_answered_session_not_confirmed_within_T2_fails_and_counts_against_the_initiator()
    {
        await using var alice = await PakeParty.Join(_api, "alice");
        await using var bob = await PakeParty.Join(_api, "bob");
        var session = await Start(alice, bob);
        await bob.Next(PakeEvents.Request);
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await Answer(bob, session.Id)).StatusCode);
        await alice.Next(PakeEvents.Answer);

        _clock.Advance(TimeSpan.FromSeconds(50));

        Assert.Equal(ProblemCodes.PassphraseTimeoutT2, (await alice.Next(PakeEvents.Failed)).Failure);
        Assert.Equal(ProblemCodes.PassphraseTimeoutT2, (await bob.Next(PakeEvents.Failed)).Failure);
        Assert.Equal(alice.User.Id, await _api.InDatabase(db => db.PakeSessions.Where(s => s.Id == session.Id).Select(s => s.BlamedUserId).SingleAsync()));
        await Api.AssertProblem(await Api.PostJson(alice.User.Http, $"/api/passphrase/sessions/{session.Id}/confirm",
            new ConfirmPakeRequest(B64(new byte[32]), B64(new byte[32]))), HttpStatusCode.Conflict, ProblemCodes.PassphraseWrongState);
    }

    [Fact]
    public async Task A_responder_who_was_offline_finds_requests_still_within_T1()
    {
        await using var alice = await PakeParty.Join(_api, "alice");
        var bob = await _api.NewUser("bob"); // not connected: the live request reaches nobody
        var first = await Start(alice, bob.Name);
        _clock.Advance(TimeSpan.FromSeconds(20));
        var second = await Start(alice, bob.Name);

        var pending = await Api.Read<PakeSessionDto[]>(await bob.Http.GetAsync("/api/passphrase/requests"));
        Assert.Equal([first.Id, second.Id], pending.Select(s => s.Id));
        Assert.Empty(await Api.Read<PakeSessionDto[]>(await alice.User.Http.GetAsync("/api/passphrase/requests")));

        _clock.Advance(TimeSpan.FromSeconds(11)); // the first is past T1 now
        pending = await Api.Read<PakeSessionDto[]>(await bob.Http.GetAsync("/api/passphrase/requests"));
        Assert.Equal([second.Id], pending.Select(s => s.Id));
    }

    [Fact]
    public async Task Repeated_failed_guesses_are_rate_limited()
    {
        await using var alice = await PakeParty.Join(_api, "alice");
        await using var guesser = await PakeParty.Join(_api, "guesser");
        for (var i = 0; i < 2; i++)
        {
            var session = await Start(alice, guesser);
            Assert.Equal(HttpStatusCode.OK, (await Answer(guesser, session.Id)).StatusCode);
            // Alice's key confirmation fails: the guess counts against the guesser.
            await Api.PostJson(alice.User.Http, $"/api/passphrase/sessions/{session.Id}/fail", new { });
        }

        var third = await Start(alice, guesser);
        await Api.AssertProblem(await Answer(guesser, third.Id), HttpStatusCode.TooManyRequests, ProblemCodes.PassphraseRateLimited);
        await Api.AssertProblem(await Api.PostJson(guesser.User.Http, "/api/passphrase/sessions", new StartPakeRequest(AnyShare, Code: true)),
            HttpStatusCode.TooManyRequests, ProblemCodes.PassphraseRateLimited);

        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        await Api.Read<PakeSessionDto>(await Api.PostJson(guesser.User.Http, "/api/passphrase/sessions", new StartPakeRequest(AnyShare, Code: true)), HttpStatusCode.Created);
    }
}
