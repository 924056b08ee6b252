using Microsoft.EntityFrameworkCore;
using Parley.Core.Passphrase;
using Parley.Core.Problems;
using Parley.Server.Problems;
using Parley.Server.Storage;

namespace Parley.Server.Passphrase;

/// <summary>Code mode's slots and the guess budget: placing a session under a free slot, claiming one, and counting the charges.</summary>
public sealed partial class PassphraseRelay
{
    private const int FirstSlot = 1, LastSlot = 999;

    /// <summary>Inserts the session; in code mode under a random free slot, retrying if another start took it first.</summary>
    private async Task<PakeSession?> Insert(string userId, string? responderId, bool codeMode, byte[] share, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            int? slot = null;
            if (codeMode)
            {
                var taken = (await db.PakeSessions.Where(s => s.Slot != null).Select(s => s.Slot!.Value).ToListAsync(ct)).ToHashSet();
                var free = Enumerable.Range(FirstSlot, LastSlot).Where(n => !taken.Contains(n)).ToList();
                if (free.Count == 0) return null;
                slot = free[Random.Shared.Next(free.Count)];
            }
            var session = new PakeSession
            {
                Id = Ids.New("p"), InitiatorId = userId, ResponderId = responderId, CodeMode = codeMode, Slot = slot, CodeSlot = slot,
                State = PakeState.Requested, RequestShare = share, RequestedAt = clock.Now(),
                // A named request is the initiator's guess at the passphrase the responder will answer with.
                BlamedUserId = codeMode ? null : userId, BlamedAt = codeMode ? null : clock.Now(),
            };
            db.PakeSessions.Add(session);
            try
            {
                await db.SaveChangesAsync(ct);
                return session;
            }
            catch (DbUpdateException) when (codeMode)
            {
                db.ChangeTracker.Clear();
            }
        }
        return null;
    }

    /// <summary>
    /// Binds the caller as the responder of the code session held under <paramref name="slot"/>, and
    /// charges the caller its guess at once. Every claim not refused counts toward the claim rate. A slot with
    /// no claimable session (free, claimed, or past T1) answers the same 404 in each case, and a
    /// claim of a free one is charged as a failure, so sweeping the slot space costs the sweeper's budget.
    /// </summary>
    public async Task<Outcome<PakeSessionDto>> Claim(string userId, int slot, CancellationToken ct)
    {
        var now = clock.Now();
        // A slot is set only while its session is open (requested or answered).
        var session = await db.PakeSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Slot == slot, ct);
        if (session?.InitiatorId == userId) return Self();
        var forgotten = now - (Limits.ClaimWindow > Limits.FailureWindow ? Limits.ClaimWindow : Limits.FailureWindow);
        await db.PakeClaims.Where(c => c.UserId == userId && c.ClaimedAt <= forgotten).ExecuteDeleteAsync(ct);
        var claim = new PakeClaim { Id = Ids.New("c"), UserId = userId, Slot = slot, ClaimedAt = now };
        db.PakeClaims.Add(claim);
        await db.SaveChangesAsync(ct);
        // Counted after the insert, so concurrent claims each see the others.
        var claims = await db.PakeClaims.CountAsync(c => c.UserId == userId && c.ClaimedAt > now - Limits.ClaimWindow, ct);
        var refused = claims > Limits.MaxClaims
            ? new Refusal(ProblemCodes.PassphraseRateLimited, "Too many code claims; wait before claiming again.")
            : await RateLimited(userId, ct);
        if (refused is not null)
        {
            // A refused claim leaves no row: hammering neither grows the table nor extends the wait.
            db.PakeClaims.Remove(claim);
            await db.SaveChangesAsync(ct);
            return refused;
        }

        var answerable = now - Limits.AnswerTimeout;
        var claimed = session is null ? 0 : await db.PakeSessions
            .Where(s => s.Id == session.Id && s.ResponderId == null && s.State == PakeState.Requested && s.RequestedAt > answerable)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ResponderId, userId).SetProperty(x => x.BlamedUserId, userId).SetProperty(x => x.BlamedAt, now), ct);
        if (claimed == 0)
        {
            // Only a slot with no session at all is charged: the partner of a session a squatter
            // claimed first gets the same 404, but must not pay for the squatter.
            claim.Missed = session is null;
            await db.SaveChangesAsync(ct);
            return new Refusal(ProblemCodes.PassphraseNotFound, "No session is waiting under this code.");
        }
        return await ToDto(await Load(session!.Id, ct), ct);
    }

    /// <summary>Guesses charged to the user within the window: sessions it is charged for, and claims that found nothing.</summary>
    private async Task<Refusal?> RateLimited(string userId, CancellationToken ct)
    {
        var since = clock.Now() - Limits.FailureWindow;
        var charged = await db.PakeSessions.CountAsync(s => s.BlamedUserId == userId && s.BlamedAt > since, ct)
            + await db.PakeClaims.CountAsync(c => c.UserId == userId && c.Missed && c.ClaimedAt > since, ct);
        return charged >= Limits.MaxFailures
            ? new Refusal(ProblemCodes.PassphraseRateLimited, "Too many failed passphrase attempts; wait before trying again.")
            : null;
    }
}
