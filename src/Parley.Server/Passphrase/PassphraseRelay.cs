using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Accounts;
using Parley.Core.Passphrase;
using Parley.Core.Problems;
using Parley.Server.Hosting;
using Parley.Server.Problems;
using Parley.Server.Realtime;
using Parley.Server.Storage;

namespace Parley.Server.Passphrase;

/// <summary>
/// Relays and times SPAKE2 handshakes (docs/passphrase.md). Every transition is a compare-and-set
/// on the session's state, so a racing answer, confirmation or timeout lands exactly once.
/// Each session charges one guess to one user, the guesser, from the moment the guess is placed
/// (named: the initiator, at the start; code: the claimant, at the claim); the charge moves to a
/// party who aborts and is dropped when the session connects ("Abuse limits" in the doc).
/// </summary>
public sealed class PassphraseRelay(ParleyDbContext db, IHubContext<ParleyHub> hub, PakeDeadlines deadlines, TimeProvider clock, IOptions<ParleyOptions> options,
    PassphraseMetrics metrics)
{
    private const int ShareLength = Spake2.ShareLength;
    private const int FirstSlot = 1, LastSlot = 999;

    private PassphraseOptions Limits => options.Value.Passphrase;

    public async Task<Outcome<PakeSessionDto>> Start(string userId, StartPakeRequest request, CancellationToken ct)
    {
        if (!TryDecode(request.Share, ShareLength, out var share)) return InvalidShare();
        if (request.To is null == !request.Code)
            return new Refusal(ProblemCodes.RequestInvalid, "Name the responder (to) or ask for a code (code: true), not both.");
        if (await RateLimited(userId, ct) is { } limited) return limited;
        var open = await db.PakeSessions.CountAsync(s => s.InitiatorId == userId && (s.State == PakeState.Requested || s.State == PakeState.Answered), ct);
        if (open >= Limits.MaxOpenSessions)
            return new Refusal(ProblemCodes.PassphraseRateLimited, $"You already have {open} open passphrase sessions.");

        string? responderId = null;
        if (request.To is not null)
        {
            var responder = AccountRules.TryNormalizeUserName(request.To, out var name)
                ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == name, ct)
                : null;
            if (responder is null) return new Refusal(ProblemCodes.UserNotFound, $"There is no user '{request.To}'.");
            if (responder.Id == userId) return Self();
            responderId = responder.Id;
        }

        var session = await Insert(userId, responderId, request.Code, share, ct);
        if (session is null) return new Refusal(ProblemCodes.PassphraseNoSlot, "Every code slot is in use; try again shortly.");
        deadlines.Schedule(session.Id, session.RequestedAt);
        var dto = await ToDto(session, ct);
        if (responderId is not null) await hub.Clients.User(responderId).SendAsync(PakeEvents.Request, dto, ct);
        return dto;
    }

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

    public async Task<Outcome<PakeSessionDto>> Answer(string userId, string id, AnswerPakeRequest request, CancellationToken ct)
    {
        var session = await db.PakeSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.ResponderId == userId, ct);
        if (session is null) return NotFound();
        if (!TryDecode(request.Share, ShareLength, out var share) || !TryDecode(request.Confirmation, PakeRules.ConfirmationLength, out var confirmation) ||
            !TryDecode(request.Random, SessionKeys.RandomLength, out var random))
            return InvalidShare();
        // The guess this answer tests was charged already: to the initiator of a named session, to the claimant of a code one.
        if (session is { State: PakeState.Failed, Failure: ProblemCodes.PassphraseTimeoutT1 }) return TimedOutT1();
        if (session.State != PakeState.Requested) return WrongState("This session is not waiting for an answer.");
        if (clock.Now() - session.RequestedAt > Limits.AnswerTimeout)
        {
            await End(id, AfterT1, ct);
            return TimedOutT1();
        }
        var moved = await db.PakeSessions.Where(s => s.Id == id && s.State == PakeState.Requested).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.State, PakeState.Answered).SetProperty(x => x.AnswerShare, share)
            .SetProperty(x => x.AnswerConfirmation, confirmation).SetProperty(x => x.AnswerRandom, random), ct);
        if (moved == 0) return WrongState("This session is not waiting for an answer.");
        var dto = await ToDto(await Load(id, ct), ct);
        await hub.Clients.User(session.InitiatorId).SendAsync(PakeEvents.Answer, dto, ct);
        return dto;
    }

    public async Task<Outcome<PakeSessionDto>> Confirm(string userId, string id, ConfirmPakeRequest request, CancellationToken ct)
    {
        var session = await db.PakeSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && s.InitiatorId == userId, ct);
        if (session is null) return NotFound();
        if (!TryDecode(request.Confirmation, PakeRules.ConfirmationLength, out var confirmation) || !TryDecode(request.Random, SessionKeys.RandomLength, out var random))
            return InvalidShare();
        if (session is { State: PakeState.Failed, Failure: ProblemCodes.PassphraseTimeoutT2 }) return TimedOutT2();
        if (session.State != PakeState.Answered) return WrongState("This session is not waiting for a confirmation.");
        if (clock.Now() - session.RequestedAt > Limits.ConfirmTimeout)
        {
            await End(id, AfterT2, ct);
            return TimedOutT2();
        }
        // Both sides hold the key now: the guess was right, so nobody is charged for it.
        var moved = await db.PakeSessions.Where(s => s.Id == id && s.State == PakeState.Answered).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.State, PakeState.Connected).SetProperty(x => x.ConfirmConfirmation, confirmation)
            .SetProperty(x => x.ConfirmRandom, random).SetProperty(x => x.Slot, (int?)null)
            .SetProperty(x => x.BlamedUserId, (string?)null).SetProperty(x => x.BlamedAt, (DateTimeOffset?)null), ct);
        if (moved == 0) return WrongState("This session is not waiting for a confirmation.");
        metrics.Succeeded();
        var dto = await ToDto(await Load(id, ct), ct);
        await hub.Clients.Users([session.InitiatorId, session.ResponderId!]).SendAsync(PakeEvents.Connected, dto, ct);
        return dto;
    }

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

    /// <summary>
    /// Named requests waiting for this user's answer, oldest first: a responder that was offline when
    /// the live request went out still finds them, as long as T1 has not passed.
    /// </summary>
    public async Task<PakeSessionDto[]> Pending(string userId, CancellationToken ct)
    {
        var answerable = clock.Now() - Limits.AnswerTimeout;
        var waiting = await db.PakeSessions.AsNoTracking()
            .Where(s => s.ResponderId == userId && !s.CodeMode && s.State == PakeState.Requested && s.RequestedAt > answerable)
            .OrderBy(s => s.RequestedAt).ToListAsync(ct);
        var sessions = new List<PakeSessionDto>(waiting.Count);
        foreach (var session in waiting) sessions.Add(await ToDto(session, ct));
        return [.. sessions];
    }

    public async Task<Outcome<PakeSessionDto>> Get(string userId, string id, CancellationToken ct)
    {
        var session = await db.PakeSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && (s.InitiatorId == userId || s.ResponderId == userId), ct);
        return session is null ? NotFound() : await ToDto(session, ct);
    }

    public async Task<Outcome<PakeFrameDto>> Relay(string userId, string userName, string id, PakeFrameRequest request, CancellationToken ct)
    {
        var session = await db.PakeSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && (s.InitiatorId == userId || s.ResponderId == userId), ct);
        if (session is null) return NotFound();
        if (session.State != PakeState.Connected) return WrongState("Frames travel only in a connected session.");
        if (!TryDecode(request.Frame, null, out var frame) || frame.Length is 0 or > PakeRules.MaxFrameLength)
            return new Refusal(ProblemCodes.PassphraseInvalidFrame, $"A frame is 1–{PakeRules.MaxFrameLength} bytes of base64.");

        PakeFrame row;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            // Writing the session row first takes its lock (a row lock on PostgreSQL, the write lock on SQLite),
            // so concurrent senders, on any node, number their frames one after the other.
            await db.PakeSessions.Where(s => s.Id == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.State, x => x.State), ct);
            var last = await db.PakeFrames.Where(f => f.SessionId == id).MaxAsync(f => (long?)f.Seq, ct) ?? 0;
            row = new PakeFrame { SessionId = id, Seq = last + 1, SenderId = userId, Frame = frame, SentAt = clock.Now() };
            db.PakeFrames.Add(row);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        var dto = new PakeFrameDto(id, row.Seq, userName, request.Frame, row.SentAt);
        var peer = session.InitiatorId == userId ? session.ResponderId! : session.InitiatorId;
        await hub.Clients.User(peer).SendAsync(PakeEvents.Message, dto, ct);
        return dto;
    }

    public async Task<Outcome<PakeFramePage>> Frames(string userId, string id, long after, CancellationToken ct)
    {
        var session = await db.PakeSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id && (s.InitiatorId == userId || s.ResponderId == userId), ct);
        if (session is null) return NotFound();
        const int page = 200;
        var rows = await db.PakeFrames.AsNoTracking().Where(f => f.SessionId == id && f.Seq > after).OrderBy(f => f.Seq).Take(page + 1).ToListAsync(ct);
        var names = await Names([session.InitiatorId, session.ResponderId], ct);
        return new PakeFramePage(
            rows.Take(page).Select(f => new PakeFrameDto(id, f.Seq, names[f.SenderId], Convert.ToBase64String(f.Frame), f.SentAt)).ToList(),
            rows.Count > page);
    }

    private Task<PakeSession> Load(string id, CancellationToken ct) => db.PakeSessions.AsNoTracking().SingleAsync(s => s.Id == id, ct);

    private async Task<Dictionary<string, string>> Names(IEnumerable<string?> userIds, CancellationToken ct)
    {
        var ids = userIds.OfType<string>().ToList();
        return await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName, ct);
    }

    private async Task<PakeSessionDto> ToDto(PakeSession s, CancellationToken ct)
    {
        var names = await Names([s.InitiatorId, s.ResponderId], ct);
        static string? B64(byte[]? bytes) => bytes is null ? null : Convert.ToBase64String(bytes);
        return new PakeSessionDto(s.Id, s.State, names[s.InitiatorId], s.ResponderId is null ? null : names[s.ResponderId], s.CodeSlot,
            B64(s.RequestShare)!, B64(s.AnswerShare), B64(s.AnswerConfirmation), B64(s.AnswerRandom), B64(s.ConfirmConfirmation), B64(s.ConfirmRandom),
            s.RequestedAt, s.RequestedAt + Limits.AnswerTimeout, s.RequestedAt + Limits.ConfirmTimeout, s.Failure);
    }

    private static bool TryDecode(string? base64, int? length, out byte[] bytes)
    {
        bytes = [];
        if (base64 is null || base64.Length > 2 * PakeRules.MaxFrameLength) return false;
        try
        {
            bytes = Convert.FromBase64String(base64);
        }
        catch (FormatException)
        {
            return false;
        }
        return length is null || bytes.Length == length;
    }

    private static Refusal NotFound() => new Refusal(ProblemCodes.PassphraseNotFound, "There is no such passphrase session of yours.");
    private static Refusal WrongState(string detail) => new Refusal(ProblemCodes.PassphraseWrongState, detail);
    private static Refusal TimedOutT1() => new Refusal(ProblemCodes.PassphraseTimeoutT1, "The answer came after T1; the session failed for both sides.");
    private static Refusal TimedOutT2() => new Refusal(ProblemCodes.PassphraseTimeoutT2, "The confirmation came after T2; the session failed for both sides.");
    private static Refusal Self() => new Refusal(ProblemCodes.PassphraseSelf, "A passphrase session needs two different users.");
    private static Refusal InvalidShare() =>
        new Refusal(ProblemCodes.PassphraseInvalidShare, $"Shares are {ShareLength} bytes, confirmations and randoms 32 bytes, each in base64.");
}
