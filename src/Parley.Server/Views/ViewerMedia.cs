using Microsoft.EntityFrameworkCore;
using Parley.Server.Storage;

namespace Parley.Server.Views;

/// <summary>Which messages with media a user may play or count: those of the rooms the user is in (as <c>/api/media</c>).</summary>
internal static class ViewerMedia
{
    /// <summary>The message <paramref name="media"/> if it carries media and <paramref name="userId"/> is in its room (any room when <paramref name="anyRoom"/>: operators).</summary>
    public static Task<Message?> FindAsync(ParleyDbContext db, string? media, string userId, bool anyRoom, CancellationToken ct) =>
        media is null
            ? Task.FromResult<Message?>(null)
            : db.Messages.AsNoTracking()
                .Where(m => m.Id == media && m.MediaContentId != null
                    && (anyRoom || db.RoomMembers.Any(r => r.RoomId == m.RoomId && r.UserId == userId)))
                .SingleOrDefaultAsync(ct);
}
