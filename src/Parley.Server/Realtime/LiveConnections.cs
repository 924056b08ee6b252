using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Parley.Server.Bus;

namespace Parley.Server.Realtime;

/// <summary>
/// The hub connections of each session on this node. A token is checked when a connection opens,
/// so signing out must also close the connections that token opened, on every node, or they would
/// keep listening.
/// </summary>
public sealed class LiveConnections(NodeBus bus)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> _bySession = new();

    public void Add(string sessionId, HubCallerContext connection) =>
        _bySession.GetOrAdd(sessionId, _ => new()).TryAdd(connection.ConnectionId, connection);

    public void Remove(string sessionId, string connectionId)
    {
        if (_bySession.TryGetValue(sessionId, out var connections)) connections.TryRemove(connectionId, out _);
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
        foreach (var connection in connections.Values) connection.Abort();
    }
}
