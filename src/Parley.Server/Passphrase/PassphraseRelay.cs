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
public sealed partial class PassphraseRelay(ParleyDbContext db, IHubContext<ParleyHub> hub, PakeDeadlines deadlines, TimeProvider clock, IOptions<ParleyOptions> options,
    PassphraseMetrics metrics)
{
    private const int ShareLength = Spake2.ShareLength;

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
