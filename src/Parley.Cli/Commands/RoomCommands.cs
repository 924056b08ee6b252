using System.CommandLine;
using System.Globalization;
using Parley.Cli.Output;
using Parley.Cli.Session;
using Parley.Core.Rooms;
using Spectre.Console;

namespace Parley.Cli.Commands;

/// <summary><c>room create|invite|join|decline|leave|list|members</c>. A ROOM is an id or the name of one of your rooms.</summary>
public static class RoomCommands
{
    public static Command Create() => new("room", "Create, join and manage group rooms.")
    {
        CreateRoom(), Invite(), Join(), Decline(), Leave(), List(), Members(),
    };

    private static Argument<string> RoomArgument() => new("room") { Description = "Room id, or the name of one of your rooms." };

    private static Command CreateRoom()
    {
        var name = new Argument<string>("name") { Description = "The room's name." };
        var command = new Command("create", "Create a group room and print its id.") { name };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var room = await client.CreateRoomAsync(parse.GetValue(name)!, ct);
            // Just the id, so that scripts can write ROOM=$(parley room create NAME).
            cli.Output.Result(room, r => Console.WriteLine(r.Id));
        });
    }

    private static Command Invite()
    {
        var room = RoomArgument();
        var user = new Argument<string>("user") { Description = "Who to invite." };
        var command = new Command("invite", "Invite a user to a room you are a member of.") { room, user };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var roomId = await RoomRef.ResolveAsync(client, parse.GetValue(room)!, ct);
            var invitation = await client.InviteAsync(roomId, parse.GetValue(user)!, ct);
            cli.Output.Result(invitation, i => Console.WriteLine(
                $"Invited {HumanText.Clean(parse.GetValue(user)!)} to {HumanText.Clean(i.RoomName)}; they join with: parley room join {i.RoomId}"));
        });
    }

    private static Command Join()
    {
        var room = RoomArgument();
        var command = new Command("join", "Join a room you were invited to.") { room };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var joined = await client.JoinAsync(await RoomRef.ResolveAsync(client, parse.GetValue(room)!, ct), ct);
            cli.Output.Result(joined, r => Console.WriteLine($"Joined {HumanText.Clean(r.Name)} ({r.Id})."));
        });
    }

    private static Command Decline()
    {
        var room = new Argument<string>("room") { Description = "The id of the room you were invited to (parley room list shows it)." };
        var command = new Command("decline", "Turn down an invitation to a room.") { room };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var roomId = parse.GetValue(room)!;
            await client.DeclineAsync(roomId, ct);
            cli.Output.Result(new { roomId, declined = true }, _ => Console.WriteLine($"Declined the invitation to {HumanText.Clean(roomId)}."));
        });
    }

    private static Command Leave()
    {
        var room = RoomArgument();
        var command = new Command("leave", "Leave a group room.") { room };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var roomId = await RoomRef.ResolveAsync(client, parse.GetValue(room)!, ct);
            await client.LeaveAsync(roomId, ct);
            cli.Output.Result(new LeftRoom(roomId), r => Console.WriteLine($"Left {r.Left}."));
        });
    }

    private static Command List()
    {
        var command = new Command("list", "List your rooms and the invitations waiting for you.");
        return command.WithClientAction(async (cli, _, ct) =>
        {
            using var client = cli.SignedInClient();
            cli.Output.Result(await client.ListRoomsAsync(ct), WriteRoomList);
        });
    }

    private static Command Members()
    {
        var room = RoomArgument();
        var command = new Command("members", "List a room's members (with --json: one per line).") { room };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var members = await client.GetMembersAsync(await RoomRef.ResolveAsync(client, parse.GetValue(room)!, ct), ct);
            foreach (var member in members)
                cli.Output.Result(member, m => Console.WriteLine($"{HumanText.Clean(m.UserName)}  (joined {m.JoinedAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}){(m.Online ? "  online" : "")}"));
        });
    }

    private static void WriteRoomList(RoomListDto list)
    {
        if (list.Rooms.Count == 0) Console.WriteLine("No rooms yet: create one with 'parley room create NAME'.");
        else
        {
            var table = new Table().AddColumns("Room", "Id", "Kind", "Messages");
            foreach (var room in list.Rooms)
                table.AddRow(HumanText.Escape(room.Name), room.Id, room.Kind.ToString().ToLowerInvariant(), room.LastSeq.ToString(CultureInfo.InvariantCulture));
            AnsiConsole.Write(table);
        }
        foreach (var invitation in list.Invitations)
            AnsiConsole.MarkupLine($"[yellow]Invitation[/] from [bold]{HumanText.Escape(invitation.InvitedBy)}[/] to {HumanText.Escape(invitation.RoomName)}: parley room join {invitation.RoomId}");
    }

    private sealed record LeftRoom(string Left);
}
