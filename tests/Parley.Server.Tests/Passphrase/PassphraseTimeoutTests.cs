using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Passphrase;
using Parley.Core.Problems;

namespace Parley.Server.Tests.Passphrase;

/// <summary>T1 and T2, on a server whose clock the test moves.</summary>
public sealed class PassphraseTimeoutTests : IAsyncLifetime
{
    private FakeClockServer _host = null!;

    public async Task InitializeAsync() => _host = await FakeClockServer.StartAsync(new Dictionary<string, string>
    {
        ["Parley:Passphrase:AnswerTimeout"] = "00:00:30", ["Parley:Passphrase:ConfirmTimeout"] = "00:01:00",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static Task<PakeSessionDto> Start(PakeParty a, PakeParty b) => PakeCalls.Start(a.User, b.User.Name);

    private static Task<HttpResponseMessage> Answer(PakeParty b, string sessionId) => PakeCalls.Answer(b.User, sessionId);

    [Fact]
    public async Task Silence_past_T1_fails_the_session_for_both()
    {
        await using var alice = await PakeParty.Join(_host.Api, "alice");
        await using var bob = await PakeParty.Join(_host.Api, "bob");
        var session = await Start(alice, bob);
        await bob.Next(PakeEvents.Request);

        _host.Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(PakeState.Requested, (await Api.Read<PakeSessionDto>(await alice.User.Http.GetAsync($"/api/passphrase/sessions/{session.Id}"))).State);
        _host.Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(ProblemCodes.PassphraseTimeoutT1, (await alice.Next(PakeEvents.Failed)).Failure);
        Assert.Equal(ProblemCodes.PassphraseTimeoutT1, (await bob.Next(PakeEvents.Failed)).Failure);
        // The timer ended it first; an answer arriving now is late, and is told so.
        await Api.AssertProblem(await Answer(bob, session.Id), HttpStatusCode.Conflict, ProblemCodes.PassphraseTimeoutT1);
    }

    [Fact]
    public async Task An_answer_after_T1_is_refused_and_ends_the_session()
    {
        await using var alice = await PakeParty.Join(_host.Api, "alice");
        await using var bob = await PakeParty.Join(_host.Api, "bob");
        var session = await Start(alice, bob);
        // Move the clock without letting timers decide: the arrival check alone must refuse.
        _host.Clock.AutoAdvanceAmount = TimeSpan.Zero;
        var late = _host.Clock.GetUtcNow() + TimeSpan.FromSeconds(31);
        _host.Clock.SetUtcNow(late);

        await Api.AssertProblem(await Answer(bob, session.Id), HttpStatusCode.Conflict, ProblemCodes.PassphraseTimeoutT1);

        var state = await Api.Read<PakeSessionDto>(await alice.User.Http.GetAsync($"/api/passphrase/sessions/{session.Id}"));
        Assert.Equal((PakeState.Failed, ProblemCodes.PassphraseTimeoutT1), (state.State, state.Failure));
    }

    [Fact]
    public async Task An_answered_session_not_confirmed_within_T2_fails_and_counts_against_the_initiator()
    {
        await using var alice = await PakeParty.Join(_host.Api, "alice");
        await using var bob = await PakeParty.Join(_host.Api, "bob");
        var session = await Start(alice, bob);
        await bob.Next(PakeEvents.Request);
        _host.Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await Answer(bob, session.Id)).StatusCode);
        await alice.Next(PakeEvents.Answer);

        _host.Clock.Advance(TimeSpan.FromSeconds(50));

        Assert.Equal(ProblemCodes.PassphraseTimeoutT2, (await alice.Next(PakeEvents.Failed)).Failure);
        Assert.Equal(ProblemCodes.PassphraseTimeoutT2, (await bob.Next(PakeEvents.Failed)).Failure);
        Assert.Equal(alice.User.Id, await _host.Api.InDatabase(db => db.PakeSessions.Where(s => s.Id == session.Id).Select(s => s.BlamedUserId).SingleAsync()));
        await Api.AssertProblem(await PakeCalls.Confirm(alice.User, session.Id), HttpStatusCode.Conflict, ProblemCodes.PassphraseTimeoutT2);
    }

    [Fact]
    public async Task A_responder_who_was_offline_finds_requests_still_within_T1()
    {
        await using var alice = await PakeParty.Join(_host.Api, "alice");
        var bob = await _host.Api.NewUser("bob"); // not connected: the live request reaches nobody
        var first = await PakeCalls.Start(alice.User, bob.Name);
        _host.Clock.Advance(TimeSpan.FromSeconds(20));
        var second = await PakeCalls.Start(alice.User, bob.Name);

        var pending = await Api.Read<PakeSessionDto[]>(await bob.Http.GetAsync("/api/passphrase/requests"));
        Assert.Equal([first.Id, second.Id], pending.Select(s => s.Id));
        Assert.Empty(await Api.Read<PakeSessionDto[]>(await alice.User.Http.GetAsync("/api/passphrase/requests")));

        _host.Clock.Advance(TimeSpan.FromSeconds(11)); // the first is past T1 now
        pending = await Api.Read<PakeSessionDto[]>(await bob.Http.GetAsync("/api/passphrase/requests"));
        Assert.Equal([second.Id], pending.Select(s => s.Id));
    }
}
