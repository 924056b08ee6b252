using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Json;
using Parley.Core.Views;
using Parley.Server.Storage;

namespace Parley.Server.Views;

/// <summary>How a <see cref="Play"/> row holds what Core works with: the judge's state and the reasons as JSON, the facts it is judged by.</summary>
internal static class PlayRows
{
    public static PlayState ReadState(this Play play) => JsonSerializer.Deserialize<PlayState>(play.State, ParleyJson.Options)!;

    /// <summary>Stores the judge's state and copies the figures records show from it.</summary>
    public static void Sync(this Play play, PlayState state)
    {
        play.State = JsonSerializer.Serialize(state, ParleyJson.Options);
        play.LastReportAt = state.LastAcceptedAt;
        play.BytesReported = state.BytesReported;
        play.SealedReports = state.SealedReports;
        play.PlainReports = state.PlainReports;
    }

    /// <summary>The video's size (from the message) and its probed duration and bitrate; a play starts only once they exist.</summary>
    public static async Task<VideoFacts> FactsAsync(this ParleyDbContext db, Play play, CancellationToken ct)
    {
        var probe = await db.VideoProbes.AsNoTracking().SingleAsync(v => v.ContentId == play.ContentId, ct);
        var size = await db.Messages.Where(m => m.Id == play.MessageId).Select(m => m.MediaSize ?? 0).SingleAsync(ct);
        return new VideoFacts(size, probe.DurationMs!.Value, probe.BitRate!.Value);
    }

    /// <summary>Bytes streamed to the same user's other plays of the same content: what tells a shared download from made-up traffic.</summary>
    public static Task<long> SiblingBytesAsync(this ParleyDbContext db, Play play, CancellationToken ct) =>
        db.Plays.Where(p => p.UserId == play.UserId && p.ContentId == play.ContentId && p.Id != play.Id).SumAsync(p => p.BytesServed, ct);

    /// <summary>Records with their viewers' names, oldest first.</summary>
    public static async Task<List<PlayRecordDto>> RecordsAsync(this ParleyDbContext db, IQueryable<Play> plays, CancellationToken ct)
    {
        var rows = await plays.AsNoTracking()
            .Join(db.Users, p => p.UserId, u => u.Id, (p, u) => new { Play = p, u.UserName })
            .OrderBy(r => r.Play.StartedAt).ThenBy(r => r.Play.Id)
            .ToListAsync(ct);
        return rows.Select(r => Record(r.Play, r.UserName)).ToList();
    }

    public static PlayRecordDto Record(Play play, string userName) => new(
        play.Id, play.MessageId, play.ContentId, userName, play.Verdict, StoredJson.Read<string>(play.Reasons), play.Counted, play.WatchedShare,
        play.BytesServed, play.BytesReported, play.SealedReports, play.PlainReports, play.StartedAt, play.EndedAt);
}
