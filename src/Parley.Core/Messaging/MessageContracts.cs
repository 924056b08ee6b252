namespace Parley.Core.Messaging;

/// <param name="ClientMessageId">
/// Optional id the sender picks; sending again with the same id returns the first message
/// instead of posting a copy, so a retry after a lost answer never sends twice.
/// </param>
public sealed record SendMessageRequest(string Text, string? ClientMessageId = null);

/// <param name="Seq">Position in the room, 1, 2, 3, … with no gaps: the cursor a client catches up from.</param>
/// <param name="Media">The media this message delivers (see docs/transfer.md); its text is then an optional caption.</param>
public sealed record MessageDto(string Id, string RoomId, long Seq, string SenderId, string SenderName, string Text, DateTimeOffset SentAt,
    Transfer.MediaDto? Media = null);

public sealed record MessagePage(IReadOnlyList<MessageDto> Messages, bool HasMore);

public static class MessageRules
{
    public const int DefaultMaxTextLength = 4000;
    public const int MaxClientMessageIdLength = 64;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;

    /// <summary>Something a reader can see: not empty, not only white space or control characters (a lone NUL is not a message).</summary>
    public static bool IsAcceptableText(string? text, int maxLength) =>
        text is not null && text.Length <= maxLength && text.Any(c => !char.IsWhiteSpace(c) && !char.IsControl(c));
}
