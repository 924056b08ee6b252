using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Json;
using Parley.Core.Messaging;
using Parley.Core.Realtime;
using Parley.Testing;

namespace Parley.Bench.Messages;

/// <summary>One live connection per member to one server; member i listens to the small room too if i &lt; 20.</summary>
internal sealed class Listeners : IAsyncDisposable
{
    private readonly HubConnection[] _connections;

    private Listeners(HubConnection[] connections) => _connections = connections;

    /// <summary>Where the current phase counts deliveries (by message text).</summary>
    public DeliveryRun? Current { get; set; }

    public static async Task<Listeners> ConnectAsync(Uri server, Seeded seeded, int count)
    {
        var connections = new HubConnection[count];
        var listeners = new Listeners(connections);
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            // The baseline's hub joins the groups named in the query; Parley ignores it and knows the rooms itself.
            var rooms = i < Seeded.Small ? $"{seeded.SmallRoom},{seeded.LargeRoom}" : seeded.LargeRoom;
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(server, LiveEvents.HubPath + "?rooms=" + rooms), o => o.AccessTokenProvider = () => Task.FromResult<string?>(seeded.Tokens[i]))
                .AddJsonProtocol(o => ParleyJson.Configure(o.PayloadSerializerOptions))
                .Build();
            connection.On<MessageDto>(LiveEvents.Message, m => listeners.Current?.Delivered(m.Text));
            await connection.StartAsync(ct);
            connections[i] = connection;
        });
        return listeners;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
    }
}


/// <summary>Senders posting to one room of one server: as fast as answered (throughput) or at a fixed pace (latency).</summary>
internal sealed class Senders(Uri server, Seeded seeded) : IDisposable
{
    private static int _next;
    private readonly HttpClient[] _clients = [.. seeded.Tokens.Take(4).Select(token =>
    {
        var http = new HttpClient { BaseAddress = server };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    })];

    /// <param name="pace">Messages per second per sender; null: each sender posts again as soon as it is answered.</param>
    public async Task<DeliveryRun> PostAsync(Listeners listeners, string roomId, int receivers, int senders, TimeSpan phase, double? pace, Func<TimeSpan>? cpu)
    {
        var run = new DeliveryRun(receivers);
        listeners.Current = run;
        var cpuBefore = cpu?.Invoke() ?? TimeSpan.Zero;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, senders).Select(async sender =>
        {
            using var timer = pace is { } rate ? new PeriodicTimer(TimeSpan.FromSeconds(1 / rate)) : null;
            while (clock.Elapsed < phase)
            {
                if (timer is not null) await timer.WaitForNextTickAsync();
                await PostOneAsync(run, _clients[sender], roomId);
            }
        }));
        run.Seconds = clock.Elapsed.TotalSeconds;
        await run.AllDelivered(TimeSpan.FromSeconds(60));
        run.ServerCpu = (cpu?.Invoke() ?? TimeSpan.Zero) - cpuBefore;
        return run;
    }

    /// <summary>One message at a time to the whole large room, each only after every member has it.</summary>
    public async Task<DeliveryRun> FanOutAsync(Listeners listeners, int receivers, int messages)
    {
        var run = new DeliveryRun(receivers);
        listeners.Current = run;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < messages; i++)
        {
            await PostOneAsync(run, _clients[0], seeded.LargeRoom);
            await run.AllDelivered(TimeSpan.FromSeconds(60));
        }
        run.Seconds = clock.Elapsed.TotalSeconds;
        return run;
    }

    private static async Task PostOneAsync(DeliveryRun run, HttpClient client, string roomId)
    {
        var key = "bench " + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        run.Sending(key);
        using var response = await client.PostAsJsonAsync($"api/rooms/{roomId}/messages", new SendMessageRequest(key), ParleyJson.Options);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose()
    {
        foreach (var client in _clients) client.Dispose();
    }
}
