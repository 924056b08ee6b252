using Microsoft.EntityFrameworkCore;
using Parley.Core.Problems;
using Parley.Core.Scanning;
using Parley.Server.Problems;
using Parley.Server.Realtime;
using Parley.Server.Storage;

namespace Parley.Server.Scanning;

/// <summary>
/// Retroactive quarantine (docs/scanning.md, "Operators and quarantine"): delivered media a later library version
/// matched is served to no one, its messages say so, and the members of every room it reached are told live, until an
/// operator releases it. The <c>quarantines</c> row is the truth; <c>messages.MediaQuarantined</c> mirrors it for history.
/// </summary>
public sealed class QuarantineService(ParleyDbContext db, FeatureLibraryService library, LiveNotifier live, TimeProvider clock)
{
    public const int MaxListed = 500;

    /// <summary>Whether the content is quarantined and not released: then nobody may download or share it.</summary>
    public static Task<bool> IsQuarantinedAsync(ParleyDbContext db, string contentId, CancellationToken ct) =>
        db.Quarantines.AnyAsync(q => q.ContentId == contentId && q.ReleasedAt == null, ct);

    /// <summary>
    /// Quarantines content that <paramref name="version"/>'s features matched, unless it is quarantined already or an
    /// operator released it at that version or later. Returns whether this call quarantined it.
    /// </summary>
    public async Task<bool> QuarantineAsync(string contentId, long version, IReadOnlyList<ScanFinding> reasons, CancellationToken ct)
    {
        var row = await db.Quarantines.SingleOrDefaultAsync(q => q.ContentId == contentId, ct);
        if (row is { ReleasedAt: null } || row?.ReleasedAtVersion >= version) return false;
        var text = StoredJson.Write(reasons);
        if (row is null)
        {
            db.Quarantines.Add(new Quarantine { ContentId = contentId, LibraryVersion = version, Reasons = text, QuarantinedAt = clock.Now() });
        }
        else
        {
            (row.LibraryVersion, row.Reasons, row.QuarantinedAt) = (version, text, clock.Now());
            (row.ReleasedAt, row.ReleasedBy, row.ReleasedAtVersion) = (null, null, null);
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear(); // another node's rescan of another version quarantined it first; it tells the rooms
            return false;
        }
        foreach (var (roomId, messageIds) in await MarkMessages(contentId, quarantined: true, ct))
            await live.MediaQuarantined(new MediaQuarantinedEvent(contentId, roomId, messageIds, reasons), await Members(roomId, ct), ct);
        return true;
    }

    /// <summary>An operator's release: the media is served again, and rescans up to the current version leave it alone.</summary>
    /// <returns>Null when released; <c>scan.not_quarantined</c> when there was nothing to release.</returns>
    public async Task<Refusal?> ReleaseAsync(string contentId, string releasedBy, CancellationToken ct)
    {
        var row = await db.Quarantines.SingleOrDefaultAsync(q => q.ContentId == contentId && q.ReleasedAt == null, ct);
        if (row is null) return new Refusal(ProblemCodes.ScanNotQuarantined, $"'{contentId}' is not quarantined.");
        var current = await library.CurrentAsync(db, ct);
        (row.ReleasedAt, row.ReleasedBy, row.ReleasedAtVersion) = (clock.Now(), releasedBy, current.Version);
        await db.SaveChangesAsync(ct);
        foreach (var (roomId, messageIds) in await MarkMessages(contentId, quarantined: false, ct))
            await live.MediaReleased(new MediaReleasedEvent(contentId, roomId, messageIds), await Members(roomId, ct), ct);
        return null;
    }

    /// <summary>Unreleased quarantines, newest first, each with the rooms its media reached.</summary>
    public async Task<Outcome<IReadOnlyList<QuarantineDto>>> ListAsync(int? limit, CancellationToken ct)
    {
        var size = limit ?? MaxListed;
        if (size is < 1 or > MaxListed) return new Refusal(ProblemCodes.RequestInvalid, $"limit is 1–{MaxListed}.");
        var rows = await db.Quarantines.AsNoTracking().Where(q => q.ReleasedAt == null)
            .OrderByDescending(q => q.QuarantinedAt).ThenBy(q => q.ContentId).Take(size).ToListAsync(ct);
        var ids = rows.Select(q => q.ContentId).ToList();
        var rooms = (await db.Messages.AsNoTracking().Where(m => m.MediaContentId != null && ids.Contains(m.MediaContentId))
                .Select(m => new { ContentId = m.MediaContentId!, m.RoomId }).Distinct().ToListAsync(ct))
            .ToLookup(m => m.ContentId, m => m.RoomId);
        return rows.Select(q => new QuarantineDto(q.ContentId, q.LibraryVersion, StoredJson.Read<ScanFinding>(q.Reasons), q.QuarantinedAt,
            [.. rooms[q.ContentId].Order(StringComparer.Ordinal)])).ToList();
    }

    /// <summary>Sets the messages' mirror of the quarantine and returns them by room.</summary>
    private async Task<List<(string RoomId, IReadOnlyList<string> MessageIds)>> MarkMessages(string contentId, bool quarantined, CancellationToken ct)
    {
        var carrying = db.Messages.Where(m => m.MediaContentId == contentId);
        await carrying.ExecuteUpdateAsync(set => set.SetProperty(m => m.MediaQuarantined, quarantined), ct);
        var messages = await carrying.AsNoTracking().OrderBy(m => m.Seq).Select(m => new { m.RoomId, m.Id }).ToListAsync(ct);
        return [.. messages.GroupBy(m => m.RoomId).Select(room => (room.Key, (IReadOnlyList<string>)[.. room.Select(m => m.Id)]))];
    }

    private Task<List<string>> Members(string roomId, CancellationToken ct) =>
        db.RoomMembers.Where(m => m.RoomId == roomId).Select(m => m.UserId).ToListAsync(ct);
}
