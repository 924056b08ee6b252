using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Passphrase;
using Parley.Core.Problems;
using Parley.Server.Problems;
using Parley.Server.Storage;

namespace Parley.Server.Passphrase;

/// <summary>How sessions fail, and whom each ending charges: reported by a side, or timed out at T1 or T2.</summary>
public sealed partial class PassphraseRelay
{
    /// <summary>
    /// A side ends the session: its key confirmation failed, or it gives up. The server cannot tell
    /// which, so whom it charges follows from the state and the reporter alone, and nobody can move
    /// a charge onto the other side (the table in docs/passphrase.md).
    /// </summary>
    public async Task<Outcome<PakeSessionDto>> ReportMismatch(string userId, string id, CancellationToken ct)
    {
        var session = await db.PakeSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && (s.InitiatorId == userId || s.ResponderId == userId), ct);
        if (session is null) return NotFound();
        var ended = await End(id, s => ReportedBy(s, userId), ct);
        return await ToDto(ended, ct);
    }

    /// <summary>Whom a <c>/fail</c> from <paramref name="reporterId"/> charges, by the session's state.</summary>
    private static Ending? ReportedBy(PakeSession s, string reporterId)
    {
        if (s.State == PakeState.Failed) return null;
        var byInitiator = s.InitiatorId == reporterId;
        var blamed = s.State switch
        {
            // The opener gives up before any answer: its own abort.
            PakeState.Requested when byInitiator => reporterId,
            // The responder declines a named request (it guessed nothing), or a claimant gives up (its claim stays charged).
            PakeState.Requested => s.CodeMode ? reporterId : null,
            // The initiator checked the answer's confirmation and it failed: the guess stays charged where it was placed.
            PakeState.Answered when byInitiator => s.BlamedUserId,
            // The responder has nothing to check before "connected": after answering it can only abort.
            PakeState.Answered => reporterId,
            // Connected: both sides passed the server's steps, and the guess was tested and refunded then.
            _ => null,
        };
        return new Ending(ProblemCodes.PassphraseMismatch, blamed);
    }

    /// <summary>Called by the deadline timers: ends a session that outlived T1 or T2.</summary>
    public async Task Expire(string id, CancellationToken ct)
    {
        if (!await db.PakeSessions.AnyAsync(s => s.Id == id, ct)) return;
        await End(id, s => (s.State, clock.Now() - s.RequestedAt) switch
        {
            (PakeState.Requested, var age) when age >= Limits.AnswerTimeout => AfterT1(s),
            (PakeState.Answered, var age) when age >= Limits.ConfirmTimeout => AfterT2(s),
            _ => null,
        }, ct);
    }

    /// <summary>
    /// T1 passed without an answer. A named request nobody answered tested no guess; a claimant who
    /// never answered stays charged, so squatting a slot is not free.
    /// </summary>
    private static Ending? AfterT1(PakeSession s) =>
        s.State == PakeState.Requested ? new Ending(ProblemCodes.PassphraseTimeoutT1, s.CodeMode ? s.BlamedUserId : null) : null;

    /// <summary>T2 passed after an answer: the initiator, who saw the answer, went silent.</summary>
    private static Ending? AfterT2(PakeSession s) =>
        s.State == PakeState.Answered ? new Ending(ProblemCodes.PassphraseTimeoutT2, s.InitiatorId) : null;

    /// <summary>How a session ends: its failure code and who is charged its guess (null: nobody).</summary>
    private sealed record Ending(string Failure, string? Blamed);

    /// <summary>
    /// Ends the session as <paramref name="decide"/> says for its current state (null: leave it), with
    /// a compare-and-set on the state and the responder it was decided on, retried if a racing step
    /// moved the session. A charge that stays keeps its time; a moved one counts from now.
    /// </summary>
    private async Task<PakeSession> End(string id, Func<PakeSession, Ending?> decide, CancellationToken ct)
    {
        while (true)
        {
            var session = await Load(id, ct);
            if (decide(session) is not { } ending) return session;
            var now = clock.Now();
            DateTimeOffset? blamedAt = ending.Blamed == session.BlamedUserId ? session.BlamedAt : ending.Blamed is null ? null : now;
            var moved = await db.PakeSessions.Where(s => s.Id == id && s.State == session.State && s.ResponderId == session.ResponderId).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.State, PakeState.Failed).SetProperty(x => x.Failure, ending.Failure)
                .SetProperty(x => x.BlamedUserId, ending.Blamed).SetProperty(x => x.BlamedAt, blamedAt)
                .SetProperty(x => x.EndedAt, now).SetProperty(x => x.Slot, (int?)null), ct);
            if (moved == 0) continue;
            metrics.Failed(id, ending.Failure, ending.Blamed);
            var ended = await Load(id, ct);
            var parties = new[] { ended.InitiatorId, ended.ResponderId }.OfType<string>().ToList();
            await hub.Clients.Users(parties).SendAsync(PakeEvents.Failed, await ToDto(ended, ct), ct);
            return ended;
        }
    }
}
