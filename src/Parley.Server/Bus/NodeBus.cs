using System.Collections.Concurrent;
using System.Text.Json;
using Parley.Core.Json;

namespace Parley.Server.Bus;

/// <summary>
/// Publish/subscribe between the nodes of one deployment (docs/deployment.md, "What travels how"):
/// a message published on a channel reaches that channel's subscribers on every node, this one
/// included. It is for pushes that need no answer; questions between nodes stay HTTP node calls.
/// Messages travel as JSON in every implementation, so one process and a cluster run the same code.
/// </summary>
public abstract class NodeBus(ILogger log)
{
    private readonly ConcurrentDictionary<string, ImmutableHandlers> _handlers = new();

    /// <summary>Reaches the channel's subscribers on every node. Delivery is at most once: a node that is down misses it.</summary>
    public Task Publish<T>(string channel, T message, CancellationToken ct) =>
        Send(channel, JsonSerializer.Serialize(message, ParleyJson.Options), ct);

    /// <summary>Subscribe at start-up, before requests arrive (see <see cref="BusSubscriptions"/>).</summary>
    public void Subscribe<T>(string channel, Func<T, Task> handler)
    {
        _handlers.AddOrUpdate(channel,
            _ => new([Wrap()]),
            (_, existing) => new([.. existing.All, Wrap()]));
        Listen(channel);

        Func<string, Task> Wrap() => json => handler(JsonSerializer.Deserialize<T>(json, ParleyJson.Options)!);
    }

    /// <summary>Runs this node's subscribers of a message that arrived; one failing subscriber does not stop the others.</summary>
    public async Task DeliverHere(string channel, string json)
    {
        if (!_handlers.TryGetValue(channel, out var handlers)) return;
        foreach (var handler in handlers.All)
        {
            try
            {
                await handler(json);
            }
            catch (Exception e)
            {
                log.LogError(e, "A subscriber of bus channel {Channel} failed.", channel);
            }
        }
    }

    /// <summary>Takes the message to every node (this one included), which then calls <see cref="DeliverHere"/>.</summary>
    protected abstract Task Send(string channel, string json, CancellationToken ct);

    /// <summary>Starts receiving a channel from other nodes, if this transport needs to ask for it.</summary>
    protected virtual void Listen(string channel) { }

    private sealed record ImmutableHandlers(Func<string, Task>[] All);
}

/// <summary>The channels of the bus; each carries one message type.</summary>
public static class BusChannels
{
    /// <summary><see cref="SessionClosed"/>: a session signed out; every node closes its live connections.</summary>
    public const string SessionClosed = "sessions.closed";

    /// <summary><see cref="SessionChanged"/>: a session's row changed (a device was bound to it); every node forgets its copy.</summary>
    public const string SessionChanged = "sessions.changed";

    /// <summary><see cref="Core.Broadcast.TicketPushDto"/>: a ticket was issued; broadcast nodes keep it (SPEC §2 step 4).</summary>
    public const string TicketIssued = "tickets.issued";

    /// <summary><see cref="Realtime.LiveEnvelope"/>: a live event for some users, when no Redis backplane carries the hub's events.</summary>
    public const string Live = "live";

    /// <summary><see cref="RoomMembersChanged"/>: someone joined or left a room; every node forgets its copy of the members.</summary>
    public const string RoomMembersChanged = "rooms.members";
}

public sealed record SessionClosed(string SessionId);

public sealed record SessionChanged(string SessionId);

public sealed record RoomMembersChanged(string RoomId);

/// <summary>One process, or nodes that have nobody to tell: subscribers here are all there is.</summary>
public sealed class LocalBus(ILogger<LocalBus> log) : NodeBus(log)
{
    protected override Task Send(string channel, string json, CancellationToken ct) => DeliverHere(channel, json);
}
