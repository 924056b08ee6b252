using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Parley.Client;
using Parley.Core.Broadcast;
using Parley.Core.Json;
using Parley.Core.Messaging;
using Parley.Core.Realtime;
using Parley.Server.Storage;
using Parley.Testing;
using SkiaSharp;

// Scale-out benchmark (docs/deployment.md, "Measured"). The same members, room, database and media folder are
// served first by one node without a bus, then by three nodes on one Redis; each member listens on one
// live connection, spread round-robin over the nodes, and senders post through every node.
// Usage: dotnet run -c Release --project bench/Parley.Bench.Cluster [-- --members 1000 --out bench/results/cluster.md]
var members = IntOption("--members", 1000);
var output = TextOption("--out", "bench/results/cluster.md");
const int Senders = 4;
var phase = TimeSpan.FromSeconds(6);
const int Broadcasts = 5;

var media = Path.Combine(Path.GetTempPath(), "parley-bench-cluster-media-" + Guid.NewGuid().ToString("N"));
var database = await (await TestPostgres.InstanceAsync()).DatabaseAsync("parley_bench_" + Guid.NewGuid().ToString("N")[..12]);
var scratch = Directory.CreateTempSubdirectory("parley-bench-cluster-pictures-").FullName;
await using var redis = await RedisServer.StartAsync();
var results = new List<(string Topology, DeliveryRun Messages, DeliveryRun FanOut)>();
Setup? setup = null;
foreach (var nodeCount in new[] { 1, 3 })
{
    var topology = nodeCount == 1 ? "1 node, no bus" : $"{nodeCount} nodes, Redis backplane";
    Console.WriteLine($"{topology}: starting…");
    var nodes = new List<RunningServer>();
    for (var i = 0; i < nodeCount; i++)
    {
        var settings = new Dictionary<string, string>
        {
            ["Parley:Broadcast:TicketLifetime"] = "00:30:00",
            ["Parley:Storage:ConnectionString"] = database,
            ["Parley:Storage:MediaDirectory"] = media,
        };
        if (nodeCount > 1) settings["Parley:Bus:Connection"] = redis.Connection;
        // A thousand accounts in seconds: the default PBKDF2 cost is for real passwords, not for setting up a benchmark.
        nodes.Add(await RunningServer.StartAsync(settings, configureServices: services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1000)));
    }
    setup ??= await Setup.CreateAsync(nodes[0], members);
    var listeners = await Listeners.ConnectAsync(nodes, setup);
    Console.WriteLine($"{topology}: {members} listeners connected; posting for {phase.TotalSeconds} s…");
    var messages = await MeasureMessagesAsync(nodes, setup, listeners, phase);
    Console.WriteLine($"{topology}: broadcasting {Broadcasts} pictures…");
    var fanOut = await MeasureFanOutAsync(nodes[0], setup, listeners, scratch);
    results.Add((topology, messages, fanOut));
    await listeners.DisposeAsync();
    foreach (var node in nodes) await node.DisposeAsync();
}
Directory.Delete(media, recursive: true);
Directory.Delete(scratch, recursive: true);

var report = new StringBuilder();
report.AppendLine("# Scale-out: benchmark").AppendLine();
report.AppendLine($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores ({Environment.OSVersion}), .NET {Environment.Version}; " +
    "produced by `dotnet run -c Release --project bench/Parley.Bench.Cluster`. Every node, the listeners and the senders share this " +
    "one machine and process (loopback, one local PostgreSQL, one shared media folder, one local redis-server), so three nodes get no more CPU than one: " +
    "the 3-node figures show what the backplane costs, not what more machines would add.").AppendLine();
report.AppendLine($"## Live messages: {Senders} senders, {members} members each listening on one connection").AppendLine();
report.AppendLine($"Each sender posts to the room as fast as the server answers for {phase.TotalSeconds} s, through node (sender mod nodes); " +
    "every member's connection gets every message. Delivery time is from the start of the POST to the event's arrival at a listener.").AppendLine();
report.AppendLine("| topology | messages/s | deliveries/s | delivery p50 | delivery p99 |").AppendLine("|---|---|---|---|---|");
foreach (var (topology, run, _) in results)
    report.AppendLine($"| {topology} | {N(run.Count / run.Seconds)} | {N(run.Deliveries / run.Seconds)} | {Ms(run.Percentile(0.50))} | {Ms(run.Percentile(0.99))} |");
report.AppendLine().AppendLine($"## Fan-out of one broadcast picture to {members - 1} members").AppendLine();
report.AppendLine($"{Broadcasts} broadcasts one after another; time from the broadcast request until the picture event reaches each other member.").AppendLine();
report.AppendLine("| topology | first member | p50 | p99 | last member |").AppendLine("|---|---|---|---|---|");
foreach (var (topology, _, run) in results)
    report.AppendLine($"| {topology} | {Ms(run.Percentile(0))} | {Ms(run.Percentile(0.50))} | {Ms(run.Percentile(0.99))} | {Ms(run.Percentile(1))} |");
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, report.ToString());
Console.WriteLine(report);
return 0;

static async Task<DeliveryRun> MeasureMessagesAsync(List<RunningServer> nodes, Setup setup, Listeners listeners, TimeSpan phase)
{
    var run = new DeliveryRun(listeners.Count);
    listeners.OnMessage = run.Delivered;
    var stop = Stopwatch.StartNew();
    var sent = 0;
    await Task.WhenAll(Enumerable.Range(0, Senders).Select(async sender =>
    {
        using var client = new ParleyClient(nodes[sender % nodes.Count].BaseAddress, setup.Tokens[sender]);
        while (stop.Elapsed < phase)
        {
            var key = Interlocked.Increment(ref sent).ToString(CultureInfo.InvariantCulture);
            run.Sending(key);
            await client.SendToRoomAsync(setup.RoomId, key);
        }
    }));
    run.Seconds = stop.Elapsed.TotalSeconds;
    await run.AllDelivered(TimeSpan.FromSeconds(60));
    return run;
}

static async Task<DeliveryRun> MeasureFanOutAsync(RunningServer node, Setup setup, Listeners listeners, string scratch)
{
    var run = new DeliveryRun(listeners.Count - 1);
    listeners.OnPicture = run.Delivered;
    using var sender = new ParleyClient(node.BaseAddress, setup.Tokens[0]);
    for (var i = 0; i < Broadcasts; i++)
    {
        var ticket = await sender.GetTicketAsync(Picture(scratch, i), setup.RoomId);
        run.Sending(ticket.ContentId);
        await sender.BroadcastAsync(setup.RoomId, ticket.Ticket);
        await run.AllDelivered(TimeSpan.FromSeconds(60));
    }
    return run;
}

static string Picture(string folder, int seed)
{
    using var bitmap = new SKBitmap(320, 200);
    using (var canvas = new SKCanvas(bitmap)) canvas.Clear(new SKColor((byte)(seed * 40), 90, (byte)(200 - seed * 30)));
    var path = Path.Combine(folder, $"picture-{seed}.png");
    using var image = SKImage.FromBitmap(bitmap);
    File.WriteAllBytes(path, image.Encode(SKEncodedImageFormat.Png, 100).ToArray());
    return path;
}

static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
static string Ms(double value) => value.ToString("N1", CultureInfo.InvariantCulture) + " ms";
int IntOption(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
string TextOption(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;

/// <summary>Members registered over HTTP, then put in one room directly in the database (invitations are not what is measured).</summary>
internal sealed record Setup(string RoomId, string[] Tokens, string[] UserIds)
{
    private const string Password = "bench password 1234";

    public static async Task<Setup> CreateAsync(RunningServer node, int members)
    {
        var tokens = new string[members];
        var ids = new string[members];
        await Parallel.ForEachAsync(Enumerable.Range(0, members), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            using var client = new ParleyClient(node.BaseAddress);
            await client.RegisterAsync($"member{i}", Password, ct);
            var session = await client.SignInAsync($"member{i}", Password, ct: ct);
            (tokens[i], ids[i]) = (session.Token, session.UserId);
        });
        using var owner = new ParleyClient(node.BaseAddress, tokens[0]);
        var room = await owner.CreateRoomAsync("cluster bench");
        using var scope = node.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        db.RoomMembers.AddRange(ids.Skip(1).Select(id => new RoomMember { RoomId = room.Id, UserId = id, JoinedAt = DateTimeOffset.UtcNow }));
        await db.SaveChangesAsync();
        return new Setup(room.Id, tokens, ids);
    }
}

/// <summary>One live connection per member, member i on node i mod nodes.</summary>
internal sealed class Listeners : IAsyncDisposable
{
    private readonly List<HubConnection> _connections = [];
    public Action<string>? OnMessage { get; set; }
    public Action<string>? OnPicture { get; set; }
    public int Count => _connections.Count;

    public static async Task<Listeners> ConnectAsync(List<RunningServer> nodes, Setup setup)
    {
        var listeners = new Listeners();
        var connections = new HubConnection[setup.Tokens.Length];
        await Parallel.ForEachAsync(Enumerable.Range(0, connections.Length), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var connection = new HubConnectionBuilder()
                .WithUrl(new Uri(nodes[i % nodes.Count].BaseAddress, LiveEvents.HubPath), o => o.AccessTokenProvider = () => Task.FromResult<string?>(setup.Tokens[i]))
                .AddJsonProtocol(o => ParleyJson.Configure(o.PayloadSerializerOptions))
                .Build();
            connection.On<MessageDto>(LiveEvents.Message, m => listeners.OnMessage?.Invoke(m.Text));
            // The broadcast's media message also arrives as a message event; the picture event is what fan-out measures.
            connection.On<BroadcastEvent>(BroadcastLiveEvents.Picture, p => listeners.OnPicture?.Invoke(p.ContentId));
            await connection.StartAsync(ct);
            connections[i] = connection;
        });
        listeners._connections.AddRange(connections);
        return listeners;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
    }
}

