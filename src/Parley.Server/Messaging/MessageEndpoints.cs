using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Server.Accounts;
using Parley.Server.ApiDocs;
using Parley.Server.Hosting;
using Parley.Server.Problems;
using Parley.Server.Rooms;
using Parley.Server.Storage;

namespace Parley.Server.Messaging;

/// <summary>
/// Posting to a room, posting to a user (through the pair's direct room, created on first use),
/// editing and deleting one's own messages, and history paged by sequence number.
/// </summary>
public static class MessageEndpoints
{
    public static void MapMessageEndpoints(this IEndpointRouteBuilder app)
    {
        var messages = app.MapGroup("/api").WithTags("Messages").RequireAuthorization();
        messages.MapPost("/rooms/{roomId}/messages", PostToRoom).RequireRateLimiting(RateLimits.Messages)
            .WithName("PostMessage").WithSummary("Post to a room")
            .WithDescription("Posts `{text, clientMessageId?, replyToId?}`; every member hears it live. A retry with the same `clientMessageId` "
                + "answers the first message (200) instead of posting again (201).")
            .ProducesProblems([.. RoomAccess.Refusals, .. MessagePosting.Refusals]);
        messages.MapGet("/rooms/{roomId}/messages", History)
            .WithName("GetHistory").WithSummary("Page through a room's history")
            .WithDescription("`?after=N`: the entries after sequence number N, oldest first (catching up). Otherwise the newest page, "
                + "or the page before `?before=N`, also oldest first. `limit` is 1–200 (50 by default); `hasMore` says whether to go on.")
            .ProducesProblems([.. RoomAccess.Refusals, ProblemCodes.MessageInvalidCursor]);
        messages.MapPost("/users/{userName}/messages", PostToUser).RequireRateLimiting(RateLimits.Messages)
            .WithName("PostDirectMessage").WithSummary("Send a direct message")
            .WithDescription("Posts in the direct conversation with that user, created on first use.")
            .ProducesProblems([.. DirectRooms.Refusals, .. MessagePosting.Refusals]);
        messages.MapPost("/messages/{messageId}/replies", Reply).RequireRateLimiting(RateLimits.Messages)
            .WithName("ReplyToMessage").WithSummary("Reply to a message").WithDescription("Posts a reply in the room of the message it answers.")
            .ProducesProblems([ProblemCodes.MessageNotFound, .. MessagePosting.Refusals]);
        messages.MapPatch("/messages/{messageId}", Edit).RequireRateLimiting(RateLimits.Messages)
            .WithName("EditMessage").WithSummary("Edit my message")
            .WithDescription("Adds an edit entry to the room's sequence and answers it (docs/messaging.md).")
            .ProducesProblems(MessageChanges.Refusals);
        messages.MapDelete("/messages/{messageId}", Delete).RequireRateLimiting(RateLimits.Messages)
            .WithName("DeleteMessage").WithSummary("Delete my message")
            .WithDescription("Adds a deletion entry to the room's sequence and answers it; the text is gone from history.")
            .ProducesProblems(MessageChanges.Refusals);
    }

    private static async Task<Results<Created<MessageDto>, Ok<MessageDto>, ProblemHttpResult>> PostToRoom(
        string roomId, SendMessageRequest request, ClaimsPrincipal principal, ParleyDbContext db, RoomMembership membership, MessagePosting posting,
        CancellationToken ct)
    {
        var (_, refusal) = await RoomAccess.RequireMember(membership, db, roomId, principal.UserId(), ct);
        if (refusal is not null) return refusal.ToProblem();
        return Answer(await posting.Post(roomId, principal.UserId(), principal.UserName(), request, ct));
    }

    private static async Task<Results<Created<MessageDto>, Ok<MessageDto>, ProblemHttpResult>> PostToUser(
        string userName, SendMessageRequest request, ClaimsPrincipal principal, ParleyDbContext db, MessagePosting posting,
        TimeProvider clock, CancellationToken ct)
    {
        var (roomId, refusal) = await DirectRooms.Resolve(db, principal.UserId(), userName, clock, ct);
        if (refusal is not null) return refusal.ToProblem();
        return Answer(await posting.Post(roomId!, principal.UserId(), principal.UserName(), request, ct));
    }

    /// <summary>A new message is 201 at its address; a retry of one already posted answers the first with 200.</summary>
    private static Results<Created<MessageDto>, Ok<MessageDto>, ProblemHttpResult> Answer(Outcome<MessagePosting.Posted> outcome) => outcome switch
    {
        { Refusal: { } refusal } => refusal.ToProblem(),
        { Value: { IsNew: true, Message: var message } } => TypedResults.Created($"/api/rooms/{message.RoomId}/messages/{message.Id}", message),
        { Value: var posted } => TypedResults.Ok(posted!.Message),
    };

    /// <summary>Posts a reply in the room of the message it answers, for clients that know only the message's id.</summary>
    private static async Task<Results<Created<MessageDto>, Ok<MessageDto>, ProblemHttpResult>> Reply(
        string messageId, SendMessageRequest request, ClaimsPrincipal principal, ParleyDbContext db, MessagePosting posting, CancellationToken ct)
    {
        var roomId = await MessageChanges.RoomOfVisibleMessage(db, messageId, principal.UserId(), ct);
        if (roomId is null) return MessageChanges.MessageNotFound(messageId).ToProblem();
        return Answer(await posting.Post(roomId, principal.UserId(), principal.UserName(), request with { ReplyToId = messageId }, ct));
    }

    private static Task<Results<Ok<MessageDto>, ProblemHttpResult>> Edit(
        string messageId, EditMessageRequest request, ClaimsPrincipal principal, MessageChanges changes, CancellationToken ct) =>
        changes.Edit(messageId, principal.UserId(), principal.UserName(), request.Text, ct).ToOk();

    private static Task<Results<Ok<MessageDto>, ProblemHttpResult>> Delete(
        string messageId, ClaimsPrincipal principal, MessageChanges changes, CancellationToken ct) =>
        changes.Delete(messageId, principal.UserId(), principal.UserName(), ct).ToOk();

    /// <summary>
    /// <c>?after=N</c>: the messages after sequence N, oldest first (catching up).
    /// Otherwise the newest page, or the page before <c>?before=N</c> (scrolling back), also oldest first.
    /// </summary>
    private static async Task<Results<Ok<MessagePage>, ProblemHttpResult>> History(
        string roomId, long? after, long? before, int? limit, ClaimsPrincipal principal, ParleyDbContext db, RoomMembership membership,
        CancellationToken ct)
    {
        var (_, refusal) = await RoomAccess.RequireMember(membership, db, roomId, principal.UserId(), ct);
        if (refusal is not null) return refusal.ToProblem();
        if (after is not null && before is not null || after < 0 || before < 1)
            return new Refusal(ProblemCodes.MessageInvalidCursor, "Give either after ≥ 0 or before ≥ 1, not both.").ToProblem();
        var size = limit ?? MessageRules.DefaultPageSize;
        if (size is < 1 or > MessageRules.MaxPageSize)
            return new Refusal(ProblemCodes.RequestInvalid, $"limit is 1–{MessageRules.MaxPageSize}.").ToProblem();

        var inRoom = db.Messages.AsNoTracking().Where(m => m.RoomId == roomId);
        var rows = after is not null
            ? await inRoom.Where(m => m.Seq > after).OrderBy(m => m.Seq).Take(size + 1).ToListAsync(ct)
            : await inRoom.Where(m => before == null || m.Seq < before).OrderByDescending(m => m.Seq).Take(size + 1).ToListAsync(ct);
        var hasMore = rows.Count > size;
        var page = rows.Take(size).OrderBy(m => m.Seq).ToList();

        var senderIds = page.Select(m => m.SenderId).Distinct().ToList();
        var names = await db.Users.Where(u => senderIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName, ct);
        return TypedResults.Ok(new MessagePage(page.Select(m => MessagePosting.ToDto(m, names.GetValueOrDefault(m.SenderId, "?"))).ToList(), hasMore));
    }
}
