using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Realtime;
using Parley.Server.Accounts;
using Parley.Server.Storage;

namespace Parley.Server.Realtime;

/// <summary>
/// The live channel. Clients only listen: everything that changes state goes through the HTTP API,
/// which checks it, stores it, then tells the members here. Events are addressed to users (not to
/// connection groups), so a membership change takes effect for the very next event, on every node.
/// </summary>
[Authorize]
public sealed class ParleyHub(LiveConnections connections, ParleyDbContext db, Presence presence) : Hub
{
    public override async Task OnConnectedAsync()
    {
        var sessionId = Context.User!.SessionId();
        connections.Add(sessionId, Context.User!.SessionExpiresAt(), Context);
        // A sign-out may have closed this session's connections between the token check and the line above;
        // it deletes the session first, so looking again now closes the gap from this side.
        if (!await db.Sessions.AnyAsync(s => s.Id == sessionId, Context.ConnectionAborted)) connections.CloseHere(sessionId);
        await presence.Connected(Context.User!.UserId(), Context.ConnectionId, Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    /// <summary><see cref="LiveEvents.Ready"/>: answering at all proves <see cref="OnConnectedAsync"/> has run; the answer is the connection's id.</summary>
    [HubMethodName(LiveEvents.Ready)]
    public string Ready() => Context.ConnectionId;

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        connections.Remove(Context.User!.SessionId(), Context.ConnectionId);
        await presence.Disconnected(Context.User!.UserId(), Context.ConnectionId, CancellationToken.None);
        await base.OnDisconnectedAsync(exception);
    }
}
