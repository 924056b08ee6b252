using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Parley.Core.Broadcast;
using Parley.Server.Accounts;
using Parley.Server.Broadcast;
using Parley.Server.Hosting;
using Parley.Server.Realtime;
using Parley.Server.Rooms;

namespace Parley.Server.Bus;

/// <summary>What this node does with each channel; subscribed before the node takes requests.</summary>
public sealed class BusSubscriptions(NodeBus bus, IServiceProvider services, IOptions<ParleyOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        var live = services.GetRequiredService<LiveConnections>();
        var sessions = services.GetRequiredService<SessionCache>();
        bus.Subscribe<SessionClosed>(BusChannels.SessionClosed, closed =>
        {
            sessions.ForgetHere(closed.SessionId);
            live.CloseHere(closed.SessionId);
            return Task.CompletedTask;
        });
        bus.Subscribe<SessionChanged>(BusChannels.SessionChanged, changed =>
        {
            sessions.ForgetHere(changed.SessionId);
            return Task.CompletedTask;
        });
        var rooms = services.GetRequiredService<RoomMembership>();
        bus.Subscribe<RoomMembersChanged>(BusChannels.RoomMembersChanged, changed =>
        {
            rooms.ForgetHere(changed.RoomId);
            return Task.CompletedTask;
        });
        if (options.Value.Role.ServesBroadcasts())
        {
            var store = services.GetRequiredService<TicketStore>();
            bus.Subscribe<TicketPushDto>(BusChannels.TicketIssued, ticket =>
            {
                store.Put(ticket);
                return Task.CompletedTask;
            });
        }
        if (services.GetRequiredService<HubLifetimeManager<ParleyHub>>() is PeerHubLifetimeManager hub)
            bus.Subscribe<LiveEnvelope>(BusChannels.Live, hub.DeliverHere);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
