using System.CommandLine;
using System.Threading.Channels;
using Parley.Cli.Output;
using Parley.Cli.Scanning;
using Parley.Cli.Session;
using Parley.Client;
using Parley.Core.Messaging;
using Parley.Core.Realtime;
using Parley.Core.Rooms;
using Parley.Core.Scanning;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>listen</c>: live events of all the user's rooms; <c>listen --room R</c>: that room's messages
/// without gaps, starting after the last one a previous <c>listen --room R</c> showed (the first time: from now).
/// With <c>--save DIR</c>, media that arrives (pictures broadcast to the room included) is downloaded, verified, into DIR.
/// Feature library updates are applied as they arrive, and the files shared recently checked again (<see cref="LibraryFollowing"/>).
/// </summary>
public static class ListenCommand
{
    public static Command Create()
    {
        var room = new Option<string>("--room") { Description = "Follow one room (id or name), catching up on what was missed since the last listen." };
        var save = new Option<DirectoryInfo>("--save") { Description = "Download received media (e.g. broadcast pictures) into this folder." };
        var command = new Command("listen", "Print live events until stopped (Ctrl+C).") { room, save };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            using var key = client.UseScanning(cli);
            await using var live = new ParleyLive(client);
            LibraryFollowing.Follow(cli, client, live, cli.Output.Event);
            var saver = parse.GetValue(save) is { } folder ? new MediaSaver(cli, client, folder) : null;
            live.Reconnecting += _ => cli.Output.Status("Connection lost; reconnecting…");
            live.Reconnected += () => cli.Output.Status("Reconnected.");
            try
            {
                if (parse.GetValue(room) is { } roomText) await FollowRoomAsync(cli, client, live, roomText, saver, ct);
                else await ListenToAllAsync(cli, client, live, saver, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Stopping is how a listen ends.
            }
        });
    }

    private static async Task FollowRoomAsync(CliContext cli, ParleyClient client, ParleyLive live, string roomText, MediaSaver? saver, CancellationToken ct)
    {
        var room = await client.GetRoomAsync(await RoomRef.ResolveAsync(client, roomText, ct), ct);
        var account = cli.CurrentAccount();
        var cursor = account.ReadCursor(room.Id) ?? room.LastSeq;
        live.MemberJoined += change => ShowMemberChange(cli, room, change, LiveEvents.MemberJoined, "joined");
        live.MemberLeft += change => ShowMemberChange(cli, room, change, LiveEvents.MemberLeft, "left");

        await live.StartAsync(ct);
        var missed = room.LastSeq - cursor;
        cli.Output.Status($"Listening to {HumanText.Clean(room.Name)}{(missed > 0 ? $", {missed} message(s) since you last listened" : "")} (Ctrl+C to stop)…");
        await foreach (var message in live.FollowRoomAsync(room.Id, cursor, ct))
        {
            cli.Output.Event(LiveEvents.Message, message, HumanText.MessageMarkup(message));
            if (saver is not null) await saver.SaveAsync(message, ct);
            account.SaveCursor(room.Id, message.Seq);
        }
    }

    private static void ShowMemberChange(CliContext cli, RoomDto room, MemberEvent change, string type, string verb)
    {
        if (change.RoomId == room.Id)
            cli.Output.Event(type, change, $"[grey]{HumanText.Escape(change.UserName)} {verb} {HumanText.Escape(room.Name)}[/]");
    }

    private static async Task ListenToAllAsync(CliContext cli, ParleyClient client, ParleyLive live, MediaSaver? saver, CancellationToken ct)
    {
        // Handlers run on the connection's thread; one reader loop prints in arrival order and may look up room names.
        var events = Channel.CreateUnbounded<(string Type, object Data)>(new UnboundedChannelOptions { SingleReader = true });
        live.MessageReceived += message => events.Writer.TryWrite((LiveEvents.Message, message));
        live.Invited += invitation => events.Writer.TryWrite((LiveEvents.Invited, invitation));
        live.MemberJoined += change => events.Writer.TryWrite((LiveEvents.MemberJoined, change));
        live.MemberLeft += change => events.Writer.TryWrite((LiveEvents.MemberLeft, change));
        live.MediaQuarantined += change => events.Writer.TryWrite((ScanningEvents.MediaQuarantined, change));
        live.MediaReleased += change => events.Writer.TryWrite((ScanningEvents.MediaReleased, change));
        live.Closed += error => events.Writer.TryComplete(error is null ? null : new LiveConnectionLostException(error));

        await live.StartAsync(ct);
        cli.Output.Status("Listening for messages, invitations and members coming and going (Ctrl+C to stop)…");
        var names = new RoomNames(client);
        await foreach (var (type, data) in events.Reader.ReadAllAsync(ct))
        {
            cli.Output.Event(type, data, cli.Output.Json ? "" : await DescribeAsync(type, data, names, ct));
            if (saver is not null && data is MessageDto message) await saver.SaveAsync(message, ct);
        }
    }

    private static async Task<string> DescribeAsync(string type, object data, RoomNames names, CancellationToken ct) => data switch
    {
        MessageDto message => HumanText.MessageMarkup(message, await names.NameOfAsync(message.RoomId, ct)),
        InvitationDto invitation =>
            $"[yellow]{HumanText.Escape(invitation.InvitedBy)} invited you to {HumanText.Escape(invitation.RoomName)}[/]: parley room join {invitation.RoomId}",
        MemberEvent change =>
            $"[grey]{HumanText.Escape(change.UserName)} {(type == LiveEvents.MemberJoined ? "joined" : "left")} {HumanText.Escape(await names.NameOfAsync(change.RoomId, ct))}[/]",
        MediaQuarantinedEvent change =>
            $"[red]Media in {HumanText.Escape(await names.NameOfAsync(change.RoomId, ct))} was quarantined[/] ({change.ContentId}): " +
            HumanText.Escape(string.Join("; ", change.Reasons.Select(r => r.Detail))),
        MediaReleasedEvent change => $"[green]Media in {HumanText.Escape(await names.NameOfAsync(change.RoomId, ct))} was released[/] ({change.ContentId}).",
        _ => HumanText.Escape(type),
    };
}
