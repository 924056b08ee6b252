using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Core.Broadcast;
using Parley.Core.Json;

namespace Parley.Bench.Broadcast;

/// <summary>The baseline: SignalR alone. A member sends the event to the hub, which relays it to every other connection.</summary>
internal sealed class RelayHub : Hub
{
    public Task Send(BroadcastEvent picture) => Clients.Others.SendAsync(BroadcastLiveEvents.Picture, picture);
}

/// <summary>
/// A minimal SignalR server in this process with as many connections as Parley's room has members,
/// relaying Parley's own event (same type, same JSON settings, same size) with no checks, storage or lookups.
/// </summary>
internal sealed class BareFanOut : IBroadcaster, IAsyncDisposable
{
    private const int ConnectParallelism = 8;
    private readonly WebApplication _app;
    private readonly List<HubConnection> _connections = [];
    private readonly BroadcastEvent _sample;

    private BareFanOut(WebApplication app, BroadcastEvent sample)
    {
        _app = app;
        _sample = sample;
    }

    /// <summary>Bounded like Parley's run; the time budget ends it long before.</summary>
    public int Capacity => 100_000;

    /// <summary>A key the length of a message id, carried where the message id goes.</summary>
    public string KeyOf(int index) => $"m_{index:D22}";

    public Task SendAsync(int index) => _connections[0].InvokeAsync(nameof(RelayHub.Send), _sample with { MessageId = KeyOf(index) });

    public static async Task<BareFanOut> StartAsync(int connectionCount, BroadcastEvent sample, DeliveryProbe probe)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSignalR().AddJsonProtocol(json => ParleyJson.Configure(json.PayloadSerializerOptions));
        var app = builder.Build();
        app.MapHub<RelayHub>("/relay");
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

        var bare = new BareFanOut(app, sample);
        for (var i = 0; i < connectionCount; i++)
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(address, "/relay"))
                .AddJsonProtocol(json => ParleyJson.Configure(json.PayloadSerializerOptions))
                .Build();
            connection.On<BroadcastEvent>(BroadcastLiveEvents.Picture, picture => probe.Delivered(picture.MessageId));
            bare._connections.Add(connection);
        }
        await Parallel.ForEachAsync(bare._connections, new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism },
            async (connection, ct) => await connection.StartAsync(ct));
        return bare;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
