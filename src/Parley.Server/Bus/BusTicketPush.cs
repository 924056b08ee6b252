using Parley.Core.Broadcast;
using Parley.Server.Broadcast;

namespace Parley.Server.Bus;

/// <summary>
/// With a bus, a ticket is published once and every broadcast node keeps it, however many there are.
/// A node that misses it costs only speed: it asks for the issued ticket when the ticket is used.
/// </summary>
public sealed class BusTicketPush(NodeBus bus) : ITicketPush
{
    public Task Push(TicketPushDto ticket, CancellationToken ct) => bus.Publish(BusChannels.TicketIssued, ticket, ct);
}
