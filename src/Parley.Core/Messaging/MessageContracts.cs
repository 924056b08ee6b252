namespace Parley.Core.Messaging;

/// <param name="ClientMessageId">
/// Optional id the sender picks; sending again with the same id returns the first message
/// instead of posting a copy, so a retry after a lost answer never sends twice.
/// </param>
/// <param name="ReplyToId">The message of the same room this one answers.</param>
public sealed record SendMessageRequest(string Text, string? ClientMessageId = null, string? ReplyToId = null);

/// <summary>The new text of a message its sender edits.</summary>
public sealed record EditMessageRequest(string Text);

/// <summary>
/// What an entry of a room's sequence is. Edits and deletions are entries of their own (see docs/messaging.md),
/// so a client catching up by sequence number hears of them the way it hears of new messages.
/// </summary>
public enum MessageKind
{
    /// <summary>A message someone posted.</summary>
    Message,
    /// <summary>Its sender gave the message <c>TargetId</c> a new text (this entry's text).</summary>
    Edit,
    /// <summary>Its sender deleted the message <c>TargetId</c>.</summary>
    Delete,
}

/// <param name="Seq">Position in the room, 1, 2, 3, … with no gaps: the cursor a client catches up from.</param>
/// <param name="Media">The media this message delivers (see docs/transfer.md); its text is then an optional caption.</param>
/// <param name="Kind">A message, or an edit or deletion of the message <paramref name="TargetId"/>.</param>
/// <param name="ReplyToId">For a message: the message of the same room it answers.</param>
/// <param name="TargetId">For an edit or deletion: the message it changes.</param>
/// <param name="EditedAt">For a message: when its sender last edited it.</param>
/// <param name="DeletedAt">For a message: when its sender deleted it (its text is then empty and its media gone).</param>
/// <param name="ChangedSeq">
/// For a message: the seq of the newest edit or deletion its text and state already include. A client applies an
/// edit or deletion entry only if its seq is greater, so entries read again (an older page, a catch-up) never roll it back.
/// </param>
public sealed record MessageDto(string Id, string RoomId, long Seq, string SenderId, string SenderName, string Text, DateTimeOffset SentAt,
    Transfer.MediaDto? Media = null, MessageKind Kind = MessageKind.Message, string? ReplyToId = null, string? TargetId = null,
    DateTimeOffset? EditedAt = null, DateTimeOffset? DeletedAt = null, long? ChangedSeq = null);

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
