using Microsoft.EntityFrameworkCore;
using Parley.Core.Problems;
using Parley.Server.Problems;
using Parley.Server.Storage;

namespace Parley.Server.Views;

/// <summary>Which messages with media a user may play or count: those of the rooms the user is in (as <c>/api/media</c>).</summary>
internal static class ViewerMedia
{
    public static readonly Refusal NotFound = new(ProblemCodes.MediaNotFound, "No such media in the rooms you are in.");

    public static readonly Refusal Quarantined =
        new(ProblemCodes.MediaQuarantined, "This media was quarantined: a newer feature library matched it. An operator may release it.");

    /// <summary>The message <paramref name="media"/> if it carries media and <paramref name="userId"/> is in its room (any room when <paramref name="anyRoom"/>).</summary>
    public static Task<Message?> FindAsync(ParleyDbContext db, string? media, string userId, CancellationToken ct, bool anyRoom = false) =>
        media is null
            ? Task.FromResult<Message?>(null)
            : db.Messages.AsNoTracking()
                .Where(m => m.Id == media && m.MediaContentId != null
                    && (anyRoom || db.RoomMembers.Any(r => r.RoomId == m.RoomId && r.UserId == userId)))
                .SingleOrDefaultAsync(ct);
}
