using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Parley.Server.Accounts;

namespace Parley.Server.Realtime;

/// <summary>
/// The live channel. Clients only listen: everything that changes state goes through the HTTP API,
/// which checks it, stores it, then tells the members here. Events are addressed to users (not to
/// connection groups), so a membership change takes effect for the very next event, on every node.
/// </summary>
[Authorize]
public sealed class ParleyHub(LiveConnections connections) : Hub
{
    public override Task OnConnectedAsync()
    {
        connections.Add(Context.User!.SessionId(), Context.User!.SessionExpiresAt(), Context);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.User!.SessionId(), Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }
}
