using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Parley.Server.Bus;

namespace Parley.Server.Realtime;

/// <summary>
/// The hub connections of each session on this node. A token is checked when a connection opens,
/// so signing out must also close the connections that token opened, and each connection closes
/// when its token expires, or they would keep listening. Sign-outs reach every node through the bus.
/// </summary>
public sealed class LiveConnections(TimeProvider clock, NodeBus bus)
{
    private sealed record Open(HubCallerContext Connection, ITimer Expiry);

    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, Open>> _bySession = new();

    public void Add(string sessionId, DateTimeOffset expiresAt, HubCallerContext connection)
    {
        var remaining = expiresAt - clock.GetUtcNow();
        var expiry = clock.CreateTimer(_ => connection.Abort(), null, remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        _bySession.GetOrAdd(sessionId, _ => new()).TryAdd(connection.ConnectionId, new Open(connection, expiry));
    }

    public void Remove(string sessionId, string connectionId)
    {
        if (_bySession.TryGetValue(sessionId, out var connections) && connections.TryRemove(connectionId, out var open)) open.Expiry.Dispose();
    }

    /// <summary>Closes the session's connections here at once, then tells the other nodes (the echo back here finds nothing left).</summary>
    public Task CloseSession(string sessionId, CancellationToken ct)
    {
        CloseHere(sessionId);
        return bus.Publish(BusChannels.SessionClosed, new SessionClosed(sessionId), ct);
    }

    public void CloseHere(string sessionId)
    {
        if (!_bySession.TryRemove(sessionId, out var connections)) return;
        foreach (var open in connections.Values)
        {
            open.Expiry.Dispose();
            open.Connection.Abort();
        }
    }
}
