using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Views;
using Parley.Server.Realtime;
using Parley.Server.Rooms;
using Parley.Server.Storage;

namespace Parley.Server.Views;

/// <summary>
/// Closes plays with the judge's final verdict, and tells the room live when one counted. A close is a versioned
/// update of the play row (<see cref="Play.Version"/>), so a play ended on two nodes at once is ended once: the loser's
/// save throws <see cref="DbUpdateConcurrencyException"/> and it reads the play again.
/// </summary>
public sealed class PlayFinisher(ParleyDbContext db, PlayJudge judge, IHubContext<ParleyHub> hub)
{
    /// <summary>Live event to a room's members: a play of a video there ended counted (<see cref="ViewCountedEvent"/>).</summary>
    public const string ViewCountedEvent = "viewCounted";

    /// <summary>
    /// Finishes <paramref name="play"/> (tracked by this context) and saves it: at <paramref name="at"/>, or where the judge
    /// closes it (its refused report, or its last accepted report when it expired).
    /// </summary>
    public async Task<PlayRecordDto> FinishAsync(Play play, PlayState state, VideoFacts video, DateTimeOffset at, bool byClient, CancellationToken ct)
    {
        var outcome = judge.Finish(state, video, at, byClient, play.BytesServed);
        play.Sync(state);
        play.EndedAt = state.EndedAt ?? at;
        play.Verdict = outcome.Verdict;
        play.Reasons = StoredJson.Write(outcome.Reasons);
        play.Counted = outcome.Counted;
        play.WatchedShare = outcome.WatchedShare;
        play.Version++;
        await db.SaveChangesAsync(ct);
        if (play.Counted) await AnnounceAsync(play, ct);
        var userName = await db.Users.Where(u => u.Id == play.UserId).Select(u => u.UserName).SingleAsync(ct);
        return PlayRows.Record(play, userName);
    }

    /// <summary>Closes the open plays of a message that no report kept alive: views are counted lazily, without a timer.</summary>
    public async Task FinishExpiredAsync(string messageId, DateTimeOffset now, CancellationToken ct)
    {
        var open = await db.Plays.Where(p => p.MessageId == messageId && p.EndedAt == null).ToListAsync(ct);
        foreach (var play in open)
        {
            var state = play.ReadState();
            if (!judge.IsExpired(state, now)) continue;
            try
            {
                await FinishAsync(play, state, await db.FactsAsync(play, ct), now, byClient: false, ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.Entry(play).State = EntityState.Detached; // another request closed or judged it meanwhile; it decides
            }
        }
    }

    private async Task AnnounceAsync(Play play, CancellationToken ct)
    {
        var views = await db.Plays.LongCountAsync(p => p.MessageId == play.MessageId && p.Counted, ct);
        var members = await RoomAccess.MemberIds(db, play.RoomId, ct);
        await hub.Clients.Users(members).SendAsync(ViewCountedEvent, new ViewCountedEvent(play.RoomId, play.MessageId, views), ct);
    }
}
