using System.Globalization;
using System.Runtime.CompilerServices;
using Parley.Core.Messaging;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    /// <param name="clientMessageId">Pick one to make retries safe: the server posts a given id once and answers repeats with the first message.</param>
    public Task<MessageDto> SendToRoomAsync(string roomId, string text, string? clientMessageId = null, CancellationToken ct = default) =>
        PostAsync<MessageDto>($"/api/rooms/{Segment(roomId)}/messages", new SendMessageRequest(text, clientMessageId), ct);

    /// <summary>Replies to a message in its room (wherever that is); the reply's <c>ReplyToId</c> names it.</summary>
    public Task<MessageDto> ReplyAsync(string messageId, string text, string? clientMessageId = null, CancellationToken ct = default) =>
        PostAsync<MessageDto>($"/api/messages/{Segment(messageId)}/replies", new SendMessageRequest(text, clientMessageId), ct);

    /// <summary>Gives one of my messages a new text; answers the edit entry the room's members receive (docs/messaging.md).</summary>
    public Task<MessageDto> EditMessageAsync(string messageId, string text, CancellationToken ct = default) =>
        SendAsync<MessageDto>(HttpMethod.Patch, $"/api/messages/{Segment(messageId)}", new EditMessageRequest(text), ct);

    /// <summary>Deletes one of my messages for everyone; answers the deletion entry the room's members receive.</summary>
    public Task<MessageDto> DeleteMessageAsync(string messageId, CancellationToken ct = default) =>
        SendAsync<MessageDto>(HttpMethod.Delete, $"/api/messages/{Segment(messageId)}", body: null, ct);

    /// <summary>Sends through the direct room of the two users, which the server creates on first use.</summary>
    public Task<MessageDto> SendToUserAsync(string userName, string text, string? clientMessageId = null, CancellationToken ct = default) =>
        PostAsync<MessageDto>($"/api/users/{Segment(userName)}/messages", new SendMessageRequest(text, clientMessageId), ct);

    /// <summary>
    /// One page of a room's messages, oldest first. With <paramref name="after"/>: the messages whose
    /// seq is greater (catching up). Otherwise the newest page, or the page just before <paramref name="before"/> (scrolling back).
    /// </summary>
    public Task<MessagePage> GetHistoryAsync(string roomId, long? after = null, long? before = null, int? limit = null, CancellationToken ct = default)
    {
        var query = new List<string>();
        if (after is { } a) query.Add("after=" + a.ToString(CultureInfo.InvariantCulture));
        if (before is { } b) query.Add("before=" + b.ToString(CultureInfo.InvariantCulture));
        if (limit is { } l) query.Add("limit=" + l.ToString(CultureInfo.InvariantCulture));
        var path = $"/api/rooms/{Segment(roomId)}/messages" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        return GetAsync<MessagePage>(path, ct);
    }

    /// <summary>Every message of the room with seq greater than <paramref name="after"/>, oldest first, fetched page by page.</summary>
    public async IAsyncEnumerable<MessageDto> CatchUpAsync(string roomId, long after, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var cursor = after;
        while (true)
        {
            var page = await GetHistoryAsync(roomId, after: cursor, limit: MessageRules.MaxPageSize, ct: ct);
            foreach (var message in page.Messages)
            {
                yield return message;
                cursor = message.Seq;
            }
            if (!page.HasMore || page.Messages.Count == 0) yield break;
        }
    }
}
