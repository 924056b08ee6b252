using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Parley.Core.Broadcast;
using Parley.Server.Broadcast;
using Parley.Server.Hosting;
using Parley.Server.Realtime;

namespace Parley.Server.Bus;

/// <summary>What this node does with each channel; subscribed before the node takes requests.</summary>
public sealed class BusSubscriptions(NodeBus bus, IServiceProvider services, IOptions<ParleyOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        var live = services.GetRequiredService<LiveConnections>();
        bus.Subscribe<SessionClosed>(BusChannels.SessionClosed, closed =>
        {
            live.CloseHere(closed.SessionId);
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
