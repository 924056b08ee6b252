using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Problems;
using Parley.Core.Views;
using Parley.Server.Accounts;
using Parley.Server.Hosting;
using Parley.Server.Problems;
using Parley.Server.Scanning;
using Parley.Server.Storage;
using Parley.Server.Transfer;

namespace Parley.Server.Views;

/// <summary>
/// What people may read of plays: a video's view count (its room's members), every record of it (its sender and the
/// operators, <c>Parley:Operators</c>), and one record (its viewer, the video's sender, operators). Counting first
/// closes the plays no report kept alive, so counts need no timer and are the same on every node.
/// </summary>
public sealed class ViewQueries(ParleyDbContext db, PlayFinisher finisher, IOptions<ParleyOptions> options, TimeProvider clock)
{
    public static readonly string[] CountRefusals = [ProblemCodes.MediaNotFound];
    public static readonly string[] RecordsRefusals = [ProblemCodes.MediaNotFound, ProblemCodes.ViewRecordsForbidden];
    public static readonly string[] RecordRefusals = [ProblemCodes.ViewPlayNotFound];

    public async Task<Outcome<ViewCountDto>> CountAsync(string userId, string media, CancellationToken ct)
    {
        var message = await ViewerMedia.FindAsync(db, media, userId, anyRoom: false, ct);
        if (message is null) return MediaResponses.NotFound;
        await finisher.FinishExpiredAsync(message.Id, clock.Now(), ct);
        var plays = db.Plays.Where(p => p.MessageId == message.Id);
        return new ViewCountDto(message.Id, message.MediaContentId!, await plays.LongCountAsync(p => p.Counted, ct),
            await plays.LongCountAsync(p => p.EndedAt == null, ct));
    }

    public async Task<Outcome<PlayRecordListDto>> RecordsAsync(ClaimsPrincipal principal, string media, CancellationToken ct)
    {
        var userId = principal.UserId();
        var isOperator = options.Value.IsOperator(principal);
        var message = await ViewerMedia.FindAsync(db, media, userId, anyRoom: isOperator, ct);
        if (message is null) return MediaResponses.NotFound;
        if (message.SenderId != userId && !isOperator)
            return new Refusal(ProblemCodes.ViewRecordsForbidden, "Only the video's sender and the server's operators see its play records.");
        await finisher.FinishExpiredAsync(message.Id, clock.Now(), ct);
        return new PlayRecordListDto(message.Id, await db.RecordsAsync(db.Plays.Where(p => p.MessageId == message.Id), ct));
    }

    public async Task<Outcome<PlayRecordDto>> RecordAsync(ClaimsPrincipal principal, string playId, CancellationToken ct)
    {
        var userId = principal.UserId();
        var isOperator = options.Value.IsOperator(principal);
        var readable = db.Plays.Where(p => p.Id == playId
            && (isOperator || p.UserId == userId || db.Messages.Any(m => m.Id == p.MessageId && m.SenderId == userId)));
        var record = (await db.RecordsAsync(readable, ct)).SingleOrDefault();
        return record is null ? new Refusal(ProblemCodes.ViewPlayNotFound, "No play of this id that you may see.") : record;
    }
}
