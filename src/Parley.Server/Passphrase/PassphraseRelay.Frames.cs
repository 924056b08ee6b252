using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Passphrase;
using Parley.Core.Problems;
using Parley.Server.Problems;
using Parley.Server.Storage;

namespace Parley.Server.Passphrase;

/// <summary>The connected session's relay: frames numbered in order and pushed to the peer, and paged for a client catching up.</summary>
public sealed partial class PassphraseRelay
{
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
}
