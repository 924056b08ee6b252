using System.CommandLine;
using Parley.Cli.Output;
using Parley.Cli.Scanning;
using Parley.Cli.Session;
using Parley.Cli.Transfer;
using Parley.Client;
using Parley.Client.Broadcast;
using Spectre.Console;

namespace Parley.Cli.Commands;

/// <summary>
/// Signed picture broadcast (docs/broadcast.md): <c>broadcast IMAGE</c> does the whole flow; its two
/// halves, <c>ticket IMAGE</c> and <c>broadcast --ticket TICKET</c>, are there for testing and for client
/// authors. Each half goes to the node that plays its role, whichever node <c>--server</c> names.
/// </summary>
public static class BroadcastCommands
{
    public static IEnumerable<Command> Create() => [Broadcast(), Ticket()];

    private static Option<string> RoomOption() => new("--room") { Description = "Room id, or the name of one of your rooms.", Required = true };

    private static Command Broadcast()
    {
        var image = new Argument<string?>("image") { Description = "The picture to broadcast (PNG, JPEG, …).", Arity = ArgumentArity.ZeroOrOne };
        var ticket = new Option<string>("--ticket") { Description = "Broadcast with a ticket from 'parley ticket' instead of an IMAGE." };
        var room = RoomOption();
        var command = new Command("broadcast",
            "Show a picture to the other members of a room: the upload role stores it and issues a single-use ticket, " +
            "which the broadcast role checks before anyone sees the picture.") { image, room, ticket };
        command.Validators.Add(result =>
        {
            if (result.GetValue(image) is null == result.GetValue(ticket) is null) result.AddError("Give either IMAGE or --ticket TICKET.");
        });
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var roomId = await RoomRef.ResolveAsync(client, parse.GetValue(room)!, ct);
            using var key = client.UseScanning(cli);
            var given = parse.GetValue(ticket) ?? (await RequestTicketAsync(client, parse.GetValue(image)!, roomId, ct)).Ticket;
            var sent = await client.BroadcastAsync(roomId, given, ct);
            cli.Output.Result(new BroadcastSent(sent.Reached, sent.TicketId, sent.MessageId, key is null || parse.GetValue(ticket) is not null ? null : FileSending.Passed), s => AnsiConsole.MarkupLine(
                $"Broadcast to [bold]{s.Reached}[/] other member(s) [grey](ticket {s.TicketId}, message {HumanText.Escape(s.MessageId)})[/]."));
        });
    }

    private static Command Ticket()
    {
        var image = new Argument<string>("image") { Description = "The picture to store for a broadcast (PNG, JPEG, …)." };
        var room = RoomOption();
        var command = new Command("ticket",
            "Store a picture with the upload role and print its broadcast ticket (single use, valid for minutes) without " +
            "broadcasting it; 'parley broadcast --ticket TICKET' does that.") { image, room };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            using var client = cli.SignedInClient();
            var roomId = await RoomRef.ResolveAsync(client, parse.GetValue(room)!, ct);
            using var key = client.UseScanning(cli);
            var issued = await RequestTicketAsync(client, parse.GetValue(image)!, roomId, ct);
            // The bare ticket on stdout, so a script can capture it without --json.
            cli.Output.Result(issued, t => Console.WriteLine(t.Ticket));
        });
    }

    /// <param name="Verdict">"passed" when IMAGE was scanned here; null with --ticket (scanned when the ticket was issued) or without a device key.</param>
    private sealed record BroadcastSent(int Reached, string TicketId, string MessageId, string? Verdict);

    private static Task<PictureTicket> RequestTicketAsync(ParleyClient client, string path, string roomId, CancellationToken ct) =>
        TransferErrors.TranslateAsync(() => client.GetTicketAsync(path, roomId, ct: ct));
}
