using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Server.Hosting;
using Parley.Server.Problems;
using Parley.Server.Realtime;
using Parley.Server.Rooms;
using Parley.Server.Storage;

namespace Parley.Server.Messaging;

/// <summary>
/// A sender edits or deletes their own message. Each change is an entry of the room's sequence of its own
/// (kind edit or delete, naming its target), written in the same transaction that updates the target's row,
/// so a client catching up by seq hears of it and history shows every message in its current state (docs/messaging.md).
/// </summary>
public sealed class MessageChanges(ParleyDbContext db, LiveNotifier live, RoomMembership membership, TimeProvider clock, IOptions<ParleyOptions> options)
{
    /// <summary>The problem codes an edit or a deletion refuses with, for the endpoints' OpenAPI declarations.</summary>
    public static readonly string[] Refusals =
        [ProblemCodes.MessageNotFound, ProblemCodes.MessageNotSender, ProblemCodes.MessageDeleted, ProblemCodes.MessageInvalidText];

    public Task<Outcome<MessageDto>> Edit(string messageId, string userId, string userName, string text, CancellationToken ct) =>
        Change(messageId, userId, userName, MessageKind.Edit, text, ct);

    public Task<Outcome<MessageDto>> Delete(string messageId, string userId, string userName, CancellationToken ct) =>
        Change(messageId, userId, userName, MessageKind.Delete, "", ct);

    /// <summary>
    /// The room of a message (not an edit or deletion entry) in one of the user's rooms; null otherwise. Someone
    /// outside the room gets the same answer as for an id that does not exist, so ids cannot be probed.
    /// </summary>
    public static async Task<string?> RoomOfVisibleMessage(ParleyDbContext db, string messageId, string userId, CancellationToken ct)
    {
        var roomId = await db.Messages.AsNoTracking().Where(m => m.Id == messageId && m.Kind == MessageKind.Message)
            .Select(m => m.RoomId).SingleOrDefaultAsync(ct);
        return roomId is not null && await db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.UserId == userId, ct) ? roomId : null;
    }

    public static Refusal MessageNotFound(string messageId) =>
        new(ProblemCodes.MessageNotFound, $"There is no message '{messageId}' in your rooms.");

    private async Task<Outcome<MessageDto>> Change(
        string messageId, string userId, string userName, MessageKind kind, string text, CancellationToken ct)
    {
        var roomId = await RoomOfVisibleMessage(db, messageId, userId, ct);
        if (roomId is null) return MessageNotFound(messageId);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var seq = await MessagePosting.NextSeq(db, roomId, ct);
        // Read under the room's lock that NextSeq took: a concurrent deletion has either committed or waits for us.
        var target = await db.Messages.SingleAsync(m => m.Id == messageId, ct);
        if (target.SenderId != userId)
            return new Refusal(ProblemCodes.MessageNotSender, "Only its sender can edit or delete a message.");
        if (target.DeletedAt is not null)
            return new Refusal(ProblemCodes.MessageDeleted, "This message has been deleted.");
        if (kind == MessageKind.Edit
            && MessagePosting.RefuseText(text, captionOnly: target.MediaContentId is not null, options.Value.Limits.MaxMessageLength) is { } badText)
            return badText;

        var now = clock.Now();
        var entry = new Message
        {
            Id = Ids.New("m"), RoomId = roomId, Seq = seq, SenderId = userId, Text = text, SentAt = now, Kind = kind, TargetId = messageId,
        };
        db.Messages.Add(entry);
        target.ChangedSeq = seq;
        if (kind == MessageKind.Edit)
        {
            target.Text = text;
            target.EditedAt = now;
        }
        else
        {
            // Deleted means gone for everyone: the text, every earlier text its edits carried, and the media
            // (no longer readable, and collectable once no other message delivers it).
            target.Text = "";
            target.DeletedAt = now;
            (target.MediaContentId, target.MediaSize, target.MediaType, target.MediaFileName) = (null, null, null, null);
            await db.Messages.Where(m => m.TargetId == messageId && m.Kind == MessageKind.Edit)
                .ExecuteUpdateAsync(m => m.SetProperty(x => x.Text, ""), ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        var dto = MessagePosting.ToDto(entry, userName);
        await live.MessagePosted(dto, (await membership.Get(db, roomId, ct))!.Members, ct);
        return dto;
    }
}
