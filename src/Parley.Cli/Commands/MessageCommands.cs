using System.CommandLine;
using Parley.Cli.Output;
using Parley.Cli.Session;

namespace Parley.Cli.Commands;

/// <summary><c>send</c> and <c>history</c>.</summary>
public static class MessageCommands
{
    public static IEnumerable<Command> Create() => [Send(), History()];

    private static Command Send()
    {
        var room = new Option<string>("--room") { Description = "Room id, or the name of one of your rooms." };
        var to = new Option<string>("--to") { Description = "User to send a direct message to." };
        var text = new Argument<string[]>("text") { Description = "The message; several words are joined with spaces.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("send", "Send a message to a room (--room) or to a user (--to).") { room, to, text };
        command.Validators.Add(result =>
        {
            if (result.GetValue(room) is null == result.GetValue(to) is null) result.AddError("Give exactly one of --room ROOM or --to USER.");
        });
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var message = string.Join(' ', parse.GetValue(text)!);
            var sent = parse.GetValue(to) is { } userName
                ? await client.SendToUserAsync(userName, message, ct: ct)
                : await client.SendToRoomAsync(await RoomRef.ResolveAsync(client, parse.GetValue(room)!, ct), message, ct: ct);
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
}
