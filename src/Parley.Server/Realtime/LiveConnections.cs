using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace Parley.Server.Realtime;

/// <summary>
/// The hub connections of each session on this node. A token is checked when a connection opens,
/// so signing out must also close the connections that token opened, or they would keep listening.
/// </summary>
public sealed class LiveConnections
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, HubCallerContext>> _bySession = new();

    public void Add(string sessionId, HubCallerContext connection) =>
        _bySession.GetOrAdd(sessionId, _ => new()).TryAdd(connection.ConnectionId, connection);

    public void Remove(string sessionId, string connectionId)
    {
        if (_bySession.TryGetValue(sessionId, out var connections)) connections.TryRemove(connectionId, out _);
    }

    public void CloseSession(string sessionId)
    {
        if (!_bySession.TryRemove(sessionId, out var connections)) return;
        foreach (var connection in connections.Values) connection.Abort();
    }
}
