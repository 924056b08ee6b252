using System.Globalization;
using System.Text;
using Parley.Cli.Transfer;
using Parley.Core.Messaging;
using Spectre.Console;

namespace Parley.Cli.Output;

/// <summary>How things read in a terminal. Text from other users is cleaned first: it must not be able to move the cursor, recolor the screen or reorder what follows.</summary>
internal static class HumanText
{
    /// <summary>
    /// <c>[12:03] alice: hello</c>, with the date when it is not today, and <c>#room</c> when several rooms share the screen;
    /// a reply starts with <c>↪ m_…</c>, and edit and deletion entries say which message they change.
    /// </summary>
    public static string MessageMarkup(MessageDto message, string? roomName = null)
    {
        var room = roomName is null ? "" : $"[blue]#{Escape(roomName)}[/] ";
        var sender = $"[bold]{Escape(message.SenderName)}[/]";
        var body = message switch
        {
            { Kind: MessageKind.Edit } => $"{sender} edited {Escape(message.TargetId ?? "?")}: {Escape(message.Text)}",
            { Kind: MessageKind.Delete } => $"{sender} deleted {Escape(message.TargetId ?? "?")}",
            { DeletedAt: not null } => $"{sender}: [grey](deleted)[/]",
            { Media: { } media } => MediaText.Markup(message, media),
            _ => $"{sender}: {Escape(message.Text)}",
        };
        var reply = message.ReplyToId is null ? "" : $"[grey]↪ {Escape(message.ReplyToId)}[/] ";
        var edited = message is { EditedAt: not null, DeletedAt: null } ? " [grey](edited)[/]" : "";
        return $"[grey][[{When(message.SentAt)}]][/] {room}{reply}{body}{edited}";
    }

    public static void WriteMessage(MessageDto message, string? roomName = null) =>
        AnsiConsole.MarkupLine(MessageMarkup(message, roomName));

    /// <summary>Escapes user text for Spectre markup after cleaning it.</summary>
    public static string Escape(string text) => Markup.Escape(Clean(text));

    /// <summary>
    /// Replaces control characters (escape sequences, carriage returns) and bidirectional overrides
    /// with U+FFFD; a line break stays, indented so a message cannot pose as the next line's sender.
    /// </summary>
    public static string Clean(string text)
    {
        var clean = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == '\n') clean.Append("\n    ");
            else if (char.IsControl(c) || IsBidiControl(c)) clean.Append('\uFFFD');
            else clean.Append(c);
        }
        return clean.ToString();
    }

    private static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';

    private static string When(DateTimeOffset sentAt)
    {
        var local = sentAt.ToLocalTime();
        var format = local.Date == DateTime.Today ? "HH:mm" : "yyyy-MM-dd HH:mm";
        return local.ToString(format, CultureInfo.InvariantCulture);
    }
}
