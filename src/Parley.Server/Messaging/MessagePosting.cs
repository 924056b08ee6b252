using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.Broadcast;
using Parley.Server.Hosting;
using Parley.Server.Problems;
using Parley.Server.Realtime;
using Parley.Server.Rooms;
using Parley.Server.Storage;

namespace Parley.Server.Messaging;

/// <summary>
/// Stores a message and tells the room. The room's sequence number is bumped in the same transaction
/// as the insert, so sequence order is commit order: a reader paging by sequence can never see 7
/// before 6 has committed, which is what makes "catch up after my cursor" miss nothing.
/// </summary>
public sealed class MessagePosting(
    ParleyDbContext db, LiveNotifier live, RoomMembership membership, TimeProvider clock, IOptions<ParleyOptions> options, MessagingMetrics metrics)
{
    /// <summary>The problem codes <see cref="Post"/> refuses with, for the endpoints' OpenAPI declarations.</summary>
    public static readonly string[] Refusals = [ProblemCodes.MessageInvalidText, ProblemCodes.MessageInvalidReply, ProblemCodes.MessageDeleted];

    /// <summary>A posted message; <paramref name="IsNew"/> is false for a retry that found the message it posted first.</summary>
    public sealed record Posted(MessageDto Message, bool IsNew);

    /// <param name="media">Media this message delivers (from a completed transfer); its text may then be empty.</param>
    public async Task<Outcome<Posted>> Post(
        string roomId, string senderId, string senderName, SendMessageRequest request, CancellationToken ct, MediaDto? media = null)
    {
        if (RefuseText(request.Text, captionOnly: media is not null, options.Value.Limits.MaxMessageLength) is { } badText)
            return badText;
        if (request.ClientMessageId is { Length: 0 or > MessageRules.MaxClientMessageIdLength })
            return new Refusal(ProblemCodes.RequestInvalid, $"clientMessageId is 1–{MessageRules.MaxClientMessageIdLength} characters.");
        if (media is null && BroadcastMessages.IsReserved(request.ClientMessageId))
            return new Refusal(ProblemCodes.RequestInvalid, "clientMessageId may not start with 'broadcast:'; those mark signed broadcasts.");

        // A retry is found by the unique (room, sender, clientMessageId) index at insert time, one query fewer per post.
        // A reply looks first, so that a retry of a reply whose target was deleted meanwhile still answers its message.
        if (request.ReplyToId is not null)
        {
            if (await FindRetry(roomId, senderId, request.ClientMessageId, ct) is { } retried)
                return new Posted(ToDto(retried, senderName), IsNew: false);
            if (await RefuseReply(roomId, request.ReplyToId, ct) is { } refusal)
                return refusal;
        }

        var draft = Draft(roomId, senderId, request, media);
        if (await MessageInsert.Run(db, draft, ct) is not { } seq)
        {
            // The unique (room, sender, clientMessageId) index stopped a retry, maybe a concurrent one: answer with the first.
            var earlier = await FindRetry(roomId, senderId, request.ClientMessageId, ct);
            return new Posted(ToDto(earlier!, senderName), IsNew: false);
        }
        metrics.Posted(media is not null);
        var dto = ToDto(draft, senderName) with { Seq = seq };
        await live.MessagePosted(dto, (await membership.Get(db, roomId, ct))!.Members, ct);
        return new Posted(dto, IsNew: true);
    }

    /// <summary>Posts a media message with no caption: always acceptable, so it returns the message itself.</summary>
    /// <param name="clientMessageId">Set by the broadcast role (<see cref="BroadcastMessages"/>); a repeat returns the first message.</param>
    public async Task<MessageDto> PostMedia(string roomId, string senderId, string senderName, MediaDto media, CancellationToken ct, string? clientMessageId = null) =>
        await Post(roomId, senderId, senderName, new SendMessageRequest("", clientMessageId), ct, media) is { Value: { } posted }
            ? posted.Message
            : throw new InvalidOperationException("A media message was refused.");

    /// <summary>The row to insert; <see cref="MessageInsert"/> numbers it.</summary>
    private Message Draft(string roomId, string senderId, SendMessageRequest request, MediaDto? media) => new()
    {
        Id = Ids.New("m"), RoomId = roomId, Seq = 0, SenderId = senderId, Text = request.Text,
        ClientMessageId = request.ClientMessageId, SentAt = clock.Now(), ReplyToId = request.ReplyToId,
        MediaContentId = media?.ContentId, MediaSize = media?.Size, MediaType = media?.MediaType, MediaFileName = media?.FileName,
    };

    /// <summary>A message's text, or a caption (<paramref name="captionOnly"/>: the message is media), which may be empty.</summary>
    public static Refusal? RefuseText(string text, bool captionOnly, int maxLength) =>
        (captionOnly ? text.Length <= maxLength : MessageRules.IsAcceptableText(text, maxLength))
            ? null
            : new Refusal(ProblemCodes.MessageInvalidText, $"A message is 1–{maxLength} characters and not only white space.");

    /// <summary>
    /// Takes the room's next sequence number. Call it inside the transaction that writes the entry: the
    /// bump locks the room's row until commit, so entries commit in sequence order.
    /// </summary>
    public static async Task<long> NextSeq(ParleyDbContext db, string roomId, CancellationToken ct)
    {
        // One statement for both (SQLite ≥ 3.35 and PostgreSQL have RETURNING); run as written, since EF cannot
        // compose an UPDATE into a query.
        var seq = await db.Database
            .SqlQuery<long>($"""UPDATE "rooms" SET "LastSeq" = "LastSeq" + 1 WHERE "Id" = {roomId} RETURNING "LastSeq" AS "Value" """)
            .ToListAsync(ct);
        return seq.Single();
    }

    /// <summary>A reply answers a message (not an edit or deletion entry) of the same room that is still there.</summary>
    private async Task<Refusal?> RefuseReply(string roomId, string replyToId, CancellationToken ct)
    {
        var answered = await db.Messages.AsNoTracking()
            .Where(m => m.Id == replyToId && m.RoomId == roomId && m.Kind == MessageKind.Message)
            .Select(m => new { m.DeletedAt }).SingleOrDefaultAsync(ct);
        if (answered is null)
            return new Refusal(ProblemCodes.MessageInvalidReply, $"replyToId: there is no message '{replyToId}' in this room to reply to.");
        return answered.DeletedAt is null ? null : new Refusal(ProblemCodes.MessageDeleted, "The message you reply to has been deleted.");
    }

    private Task<Message?> FindRetry(string roomId, string senderId, string? clientMessageId, CancellationToken ct) =>
        clientMessageId is null
            ? Task.FromResult<Message?>(null)
            : db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.RoomId == roomId && m.SenderId == senderId && m.ClientMessageId == clientMessageId, ct);

    public static MessageDto ToDto(Message m, string senderName) => new(m.Id, m.RoomId, m.Seq, m.SenderId, senderName, m.Text, m.SentAt,
        m.MediaContentId is null ? null : new MediaDto(m.MediaContentId, m.MediaSize ?? 0, m.MediaType ?? TransferRules.DefaultMediaType, m.MediaFileName,
            Broadcast: BroadcastMessages.IsReserved(m.ClientMessageId), Quarantined: m.MediaQuarantined),
        m.Kind, m.ReplyToId, m.TargetId, m.EditedAt, m.DeletedAt, m.ChangedSeq);
}
