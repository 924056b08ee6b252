using Microsoft.AspNetCore.SignalR;
using Parley.Server.Bus;

namespace Parley.Server.Realtime;

/// <summary>
/// The hub of an upload/broadcast pair without Redis: every event for users goes over the
/// <see cref="PeerBus"/>, so it reaches the users' connections on both nodes whichever node sent it.
/// (With Redis, SignalR's own Redis backplane does this for any number of nodes.)
/// </summary>
public sealed class PeerHubLifetimeManager(NodeBus bus, ILogger<DefaultHubLifetimeManager<ParleyHub>> log) : DefaultHubLifetimeManager<ParleyHub>(log)
{
    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken ct = default) =>
        SendUsersAsync([userId], methodName, args, ct);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken ct = default) =>
        bus.Publish(BusChannels.Live, new LiveEnvelope([.. userIds], methodName, args), ct);

    /// <summary>An event that arrived over the bus (from either node) goes to the users' connections on this node.</summary>
    public Task DeliverHere(LiveEnvelope envelope) => base.SendUsersAsync(Audience.Of(envelope.UserIds), envelope.Method, envelope.Args);
}

/// <summary>A hub event in transit between nodes; the arguments arrive as JSON elements, which the hub writes unchanged.</summary>
public sealed record LiveEnvelope(string[] UserIds, string Method, object?[] Args);
