using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Passphrase;
using Parley.Core.Problems;

namespace Parley.Server.Tests.Passphrase;

/// <summary>
/// The attacks of issue 14 (defects 1 and 2) on the guess budget and the code slots, each on a
/// server whose clock the test moves: who is charged a guess, when, and what a sweep or a squat costs.
/// </summary>
public sealed class PassphraseAbuseTests : IAsyncLifetime
{
    private const int Budget = 3, ClaimLimit = 5;
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(30), FailureWindow = TimeSpan.FromMinutes(5), ClaimWindow = TimeSpan.FromHours(1);

    private FakeClockServer _host = null!;

    public async Task InitializeAsync() => _host = await FakeClockServer.StartAsync(new Dictionary<string, string>
    {
        ["Parley:Passphrase:AnswerTimeout"] = AnswerTimeout.ToString(), ["Parley:Passphrase:ConfirmTimeout"] = "00:01:00",
        ["Parley:Passphrase:MaxFailures"] = Budget.ToString(), ["Parley:Passphrase:FailureWindow"] = FailureWindow.ToString(),
        ["Parley:Passphrase:MaxClaims"] = ClaimLimit.ToString(), ["Parley:Passphrase:ClaimWindow"] = ClaimWindow.ToString(),
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<string?> ChargedTo(string sessionId) =>
        _host.Api.InDatabase(db => db.PakeSessions.Where(s => s.Id == sessionId).Select(s => s.BlamedUserId).SingleAsync());

    private Task<int> ChargesOf(TestUser user) => _host.Api.InDatabase(db => db.PakeSessions.CountAsync(s => s.BlamedUserId == user.Id));

    private Task<int> MissedClaimsOf(TestUser user) => _host.Api.InDatabase(db => db.PakeClaims.CountAsync(c => c.UserId == user.Id && c.Missed));

    private static async Task AssertRateLimited(HttpResponseMessage response) =>
        await Api.AssertProblem(response, HttpStatusCode.TooManyRequests, ProblemCodes.PassphraseRateLimited);

    [Fact]
    public async Task Opening_sessions_to_someone_and_aborting_them_spends_the_openers_budget_not_theirs()
    {
        var alice = await _host.Api.NewUser("alice");
        var mallory = await _host.Api.NewUser("mallory");
        var bob = await _host.Api.NewUser("bob");
        for (var i = 0; i < Budget; i++)
        {
            var session = await PakeCalls.Start(mallory, alice.Name);
            Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Fail(mallory, session.Id)).StatusCode);
            Assert.Equal(mallory.Id, await ChargedTo(session.Id));
        }

        await AssertRateLimited(await PakeCalls.TryStart(mallory, alice.Name));
        await AssertRateLimited(await PakeCalls.TryStart(mallory, to: null));
        // Alice's budget is untouched: she still starts sessions and answers them.
        await PakeCalls.Start(alice, bob.Name);
        var request = await PakeCalls.Start(bob, alice.Name);
        Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Answer(alice, request.Id)).StatusCode);
    }

    [Fact]
    public async Task A_failed_guess_in_a_named_session_is_charged_to_the_initiator_from_the_moment_it_is_made()
    {
        var alice = await _host.Api.NewUser("alice");
        var mallory = await _host.Api.NewUser("mallory");
        for (var i = 0; i < Budget; i++)
        {
            var session = await PakeCalls.Start(mallory, alice.Name);
            Assert.Equal(mallory.Id, await ChargedTo(session.Id)); // before anyone has reported anything
            Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Answer(alice, session.Id)).StatusCode);
            // Mallory's guess fails key confirmation on mallory's side.
            Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Fail(mallory, session.Id)).StatusCode);
            Assert.Equal(mallory.Id, await ChargedTo(session.Id));
        }

        await AssertRateLimited(await PakeCalls.TryStart(mallory, alice.Name));
        Assert.Equal(0, await ChargesOf(alice));
        await PakeCalls.Start(alice, mallory.Name);
    }

    [Fact]
    public async Task A_responder_who_answers_and_then_reports_a_failure_is_charged_not_the_initiator()
    {
        var alice = await _host.Api.NewUser("alice");
        var mallory = await _host.Api.NewUser("mallory");

        var named = await PakeCalls.Start(alice, mallory.Name);
        Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Answer(mallory, named.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Fail(mallory, named.Id)).StatusCode);
        Assert.Equal(mallory.Id, await ChargedTo(named.Id));

        var code = await PakeCalls.Start(alice, to: null);
        Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Claim(mallory, code.Slot!.Value)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Answer(mallory, code.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Fail(mallory, code.Id)).StatusCode);
        Assert.Equal(mallory.Id, await ChargedTo(code.Id));

        // Declining a named request without answering guesses nothing: nobody is charged.
        var declined = await PakeCalls.Start(alice, mallory.Name);
        Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Fail(mallory, declined.Id)).StatusCode);
        Assert.Null(await ChargedTo(declined.Id));
        Assert.Equal(0, await ChargesOf(alice));
    }

    [Fact]
    public async Task Guesses_at_code_sessions_are_charged_at_the_claim_not_when_a_victim_reports_them()
    {
        var mallory = await _host.Api.NewUser("mallory");
        var victims = new List<PakeSessionDto>();
        for (var i = 0; i <= Budget; i++) victims.Add(await PakeCalls.Start(await _host.Api.NewUser("victim"), to: null));

        // Mallory answers live code sessions with guesses; no victim ever reports the failure.
        foreach (var victim in victims.Take(Budget))
        {
            Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Claim(mallory, victim.Slot!.Value)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Answer(mallory, victim.Id)).StatusCode);
        }

        await AssertRateLimited(await PakeCalls.Claim(mallory, victims[Budget].Slot!.Value));
        // The real partner of an answered session finds nothing, and is not charged for it.
        var bob = await _host.Api.NewUser("bob");
        await Api.AssertProblem(await PakeCalls.Claim(bob, victims[0].Slot!.Value), HttpStatusCode.NotFound, ProblemCodes.PassphraseNotFound);
        Assert.Equal(0, await MissedClaimsOf(bob));
        // The refused claim left the slot to its real partner.
        Assert.Equal(victims[Budget].Id, (await Api.Read<PakeSessionDto>(await PakeCalls.Claim(bob, victims[Budget].Slot!.Value))).Id);
    }

    [Fact]
    public async Task Squatting_a_code_slot_is_charged_to_the_squatter_and_blames_nobody_else()
    {
        await using var alice = await PakeParty.Join(_host.Api, "alice");
        var mallory = await _host.Api.NewUser("mallory");
        var bob = await _host.Api.NewUser("bob");
        for (var i = 0; i < Budget; i++)
        {
            var session = await PakeCalls.Start(alice.User, to: null);
            Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Claim(mallory, session.Slot!.Value)).StatusCode);
            // The partner the code was meant for finds nothing, exactly as under a free slot.
            await Api.AssertProblem(await PakeCalls.Claim(bob, session.Slot!.Value), HttpStatusCode.NotFound, ProblemCodes.PassphraseNotFound);

            _host.Clock.Advance(AnswerTimeout); // mallory never answers
            Assert.Equal(ProblemCodes.PassphraseTimeoutT1, (await alice.Next(PakeEvents.Failed)).Failure);
            Assert.Equal(mallory.Id, await ChargedTo(session.Id));
        }

        var next = await PakeCalls.Start(alice.User, to: null);
        await AssertRateLimited(await PakeCalls.Claim(mallory, next.Slot!.Value));
        // Neither the initiator nor the partner who came too late pays for the squatter.
        Assert.Equal((0, 0, 0), (await ChargesOf(alice.User), await ChargesOf(bob), await MissedClaimsOf(bob)));
        Assert.Equal(next.Id, (await Api.Read<PakeSessionDto>(await PakeCalls.Claim(bob, next.Slot!.Value))).Id);
    }

    [Fact]
    public async Task Sweeping_the_slot_space_is_rate_limited_and_every_empty_slot_costs()
    {
        var alice = await _host.Api.NewUser("alice");
        var sweeper = await _host.Api.NewUser("sweeper");
        var live = await PakeCalls.Start(alice, to: null);
        var empty = Enumerable.Range(PassphraseCode.MinSlot, 999).Where(n => n != live.Slot).ToArray();

        for (var i = 0; i < Budget; i++)
            await Api.AssertProblem(await PakeCalls.Claim(sweeper, empty[i]), HttpStatusCode.NotFound, ProblemCodes.PassphraseNotFound);
        Assert.Equal(Budget, await MissedClaimsOf(sweeper));
        // Out of budget, every slot answers alike, the live one included: the sweep learns nothing more.
        await AssertRateLimited(await PakeCalls.Claim(sweeper, live.Slot!.Value));
        await AssertRateLimited(await PakeCalls.Claim(sweeper, empty[Budget]));

        // The misses leave the failure window, but the claims are still within the claim window.
        _host.Clock.Advance(FailureWindow + TimeSpan.FromSeconds(1));
        var next = Budget + 2;
        for (var claims = Budget; claims < ClaimLimit; claims++)
            await Api.AssertProblem(await PakeCalls.Claim(sweeper, empty[next++]), HttpStatusCode.NotFound, ProblemCodes.PassphraseNotFound);
        var refused = await Api.AssertProblem(await PakeCalls.Claim(sweeper, empty[next++]), HttpStatusCode.TooManyRequests, ProblemCodes.PassphraseRateLimited);
        Assert.Contains("claims", refused);
        // Refused claims are not kept: hammering does not make the wait longer.
        Assert.Equal(ClaimLimit, await _host.Api.InDatabase(db => db.PakeClaims.CountAsync(c => c.UserId == sweeper.Id)));

        _host.Clock.Advance(ClaimWindow);
        await Api.AssertProblem(await PakeCalls.Claim(sweeper, empty[next]), HttpStatusCode.NotFound, ProblemCodes.PassphraseNotFound);
    }

    [Fact]
    public async Task Sessions_that_connect_or_that_nobody_answered_charge_nobody()
    {
        var alice = await _host.Api.NewUser("alice");
        var bob = await _host.Api.NewUser("bob");
        for (var i = 0; i <= Budget; i++)
        {
            var named = await PakeCalls.Start(alice, bob.Name);
            Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Answer(bob, named.Id)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Confirm(alice, named.Id)).StatusCode);
            var code = await PakeCalls.Start(alice, to: null);
            Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Claim(bob, code.Slot!.Value)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Answer(bob, code.Id)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await PakeCalls.Confirm(alice, code.Id)).StatusCode);
        }
        Assert.Equal((0, 0), (await ChargesOf(alice), await ChargesOf(bob)));

        // Requests nobody answers: charged while they wait, refunded at T1, since no guess was tested.
        await using var carol = await PakeParty.Join(_host.Api, "carol");
        for (var i = 0; i < Budget; i++) await PakeCalls.Start(carol.User, bob.Name);
        await AssertRateLimited(await PakeCalls.TryStart(carol.User, bob.Name));
        _host.Clock.Advance(AnswerTimeout);
        for (var i = 0; i < Budget; i++) Assert.Equal(ProblemCodes.PassphraseTimeoutT1, (await carol.Next(PakeEvents.Failed)).Failure);
        Assert.Equal(0, await ChargesOf(carol.User));
        await PakeCalls.Start(carol.User, bob.Name);
    }
}
