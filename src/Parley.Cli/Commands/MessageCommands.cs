using System.CommandLine;
using Parley.Cli.Output;
using Parley.Cli.Session;
using Parley.Cli.Transfer;

namespace Parley.Cli.Commands;

/// <summary><c>send</c> (text or a file), <c>history</c>, and <c>reply</c>, <c>edit</c> and <c>delete</c> by message id.</summary>
public static class MessageCommands
{
    public static IEnumerable<Command> Create() => [Send(), History(), Reply(), Edit(), Delete()];

    private static Command Send()
    {
        var room = new Option<string>("--room") { Description = "Room id, or the name of one of your rooms." };
        var to = new Option<string>("--to") { Description = "User to send a direct message to." };
        var asText = new Option<bool>("--text") { Description = "Send the words as a text message even if they name a file." };
        var limitRate = FileSending.LimitRateOption();
        var words = new Argument<string[]>("text")
        {
            Description = "The message (several words are joined with spaces), or the path of a file to send.",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("send",
            "Send a message or a file to a room (--room) or to a user (--to). A single argument that names an existing file " +
            "sends that file (only what the server lacks is uploaded, and running the same send again continues an interrupted one); " +
            "--text sends it as words instead.") { room, to, asText, limitRate, words };
        command.Validators.Add(result =>
        {
            if (result.GetValue(room) is null == result.GetValue(to) is null) result.AddError("Give exactly one of --room ROOM or --to USER.");
        });
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var text = parse.GetValue(words)!;
            var userName = parse.GetValue(to);
            var roomId = userName is null ? await RoomRef.ResolveAsync(client, parse.GetValue(room)!, ct) : null;
            if (text is [var path] && !parse.GetValue(asText) && File.Exists(path))
            {
                await FileSending.SendAsync(cli, client, path, roomId, userName, parse.GetValue(limitRate), ct);
                return;
            }
            if (parse.GetValue(limitRate) is not null)
                throw new CliException(TransferErrors.NotAFile, $"--limit-rate is for sending a file, and '{string.Join(' ', text)}' names none.");
            var message = string.Join(' ', text);
            var sent = userName is not null
                ? await client.SendToUserAsync(userName, message, ct: ct)
                : await client.SendToRoomAsync(roomId!, message, ct: ct);
            cli.Output.Result(sent, m => HumanText.WriteMessage(m));
        });
    }

    private static Command History()
    {
        var room = new Option<string>("--room") { Description = "Room id, or the name of one of your rooms.", Required = true };
        var limit = new Option<int?>("--limit") { Description = "How many of the newest messages to show (default 50, at most 200)." };
        var command = new Command("history", "Show a room's newest messages, oldest first (with --json: one per line).") { room, limit };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var roomId = await RoomRef.ResolveAsync(client, parse.GetValue(room)!, ct);
            var page = await client.GetHistoryAsync(roomId, limit: parse.GetValue(limit), ct: ct);
            foreach (var message in page.Messages) cli.Output.Result(message, m => HumanText.WriteMessage(m));
        });
    }

    private static Argument<string> MessageId() =>
        new("message") { Description = "The message's id, as `parley send --json` and `parley history --json` print it (m_…)." };

    private static Argument<string[]> Words() =>
        new("text") { Description = "The text (several words are joined with spaces).", Arity = ArgumentArity.OneOrMore };

    private static Command Reply()
    {
        var message = MessageId();
        var words = Words();
        var command = new Command("reply", "Reply to a message, in the room it was posted in.") { message, words };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var reply = await client.ReplyAsync(parse.GetValue(message)!, string.Join(' ', parse.GetValue(words)!), ct: ct);
            cli.Output.Result(reply, m => HumanText.WriteMessage(m));
        });
    }

    private static Command Edit()
    {
        var message = MessageId();
        var words = Words();
        var command = new Command("edit", "Give one of your messages a new text; everyone in the room sees the change.") { message, words };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var edit = await client.EditMessageAsync(parse.GetValue(message)!, string.Join(' ', parse.GetValue(words)!), ct);
            cli.Output.Result(edit, m => HumanText.WriteMessage(m));
        });
    }

    private static Command Delete()
    {
        var message = MessageId();
        var command = new Command("delete", "Delete one of your messages for everyone in the room.") { message };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var deletion = await client.DeleteMessageAsync(parse.GetValue(message)!, ct);
            cli.Output.Result(deletion, m => HumanText.WriteMessage(m));
        });
    }
}
