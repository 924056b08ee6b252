using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Parley.Bench.Broadcast;
using Parley.Core.Broadcast;
using Parley.Core.Json;
using Parley.Testing;
using static Parley.Bench.Broadcast.Report;

// Signed picture broadcast benchmark (docs/broadcast.md, "Benchmarks"). Each figure sits beside a
// baseline measured in the same run on the same machine; loopback only, each phase a few seconds.
// Usage: dotnet run -c Release --project bench/Parley.Bench.Broadcast [-- --members 1000 --out bench/results/broadcast.md]
var members = Option("--members", 1000);
var output = OptionText("--out", "bench/results/broadcast.md");
var phase = TimeSpan.FromSeconds(4);
var receivers = members - 1;
var report = new Report("Signed picture broadcast: benchmark");

Console.WriteLine("Ticket verification…");
var verification = TicketVerification.Measure(TimeSpan.FromSeconds(0.7));
report.Section("Ticket verification (one thread)",
    $"What the broadcast role spends opening one ticket (`TicketCodec.Decode`: base64url, AES-256-GCM when sealed, ECDSA P-256 " +
    $"verification, payload parsing), beside a bare HMAC-SHA256 over the sealed ticket's {verification.SealedBytes} bytes and a bare " +
    $"ECDSA verification. Plain tickets are {verification.PlainBytes} bytes. The signature is ECDSA by design, so the broadcast role " +
    "needs only a public key and cannot mint tickets; its verification is nearly all of the cost.",
    ["what", "verifications/s", "µs each", "HMAC-SHA256 is … × faster"],
    [
        VerificationRow("baseline: HMAC-SHA256 over the same bytes", verification.Hmac),
        VerificationRow("bare ECDSA P-256 verification (SHA-256)", verification.Ecdsa),
        VerificationRow("`TicketCodec.Decode`, plain ticket", verification.DecodePlain),
        VerificationRow("`TicketCodec.Decode`, sealed ticket", verification.DecodeSealed),
    ]);

var pictures = Directory.CreateTempSubdirectory("parley-bench-broadcast-");
try
{
    Console.WriteLine($"Parley: {members} members, each with a live connection…");
    await using var server = await RunningServer.StartAsync(
        new Dictionary<string, string> { ["Parley:SignIn:PermitLimit"] = "1000000", ["Parley:Broadcast:TicketLifetime"] = "00:30:00" },
        // A thousand accounts in seconds: the default PBKDF2 cost is for real passwords, not for setting up a benchmark.
        configureServices: services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1000));
    var parleyProbe = new DeliveryProbe(receivers);
    FanOutRun.Result parley;
    BroadcastEvent sample;
    await using (var fanOut = await ParleyFanOut.SetUpAsync(server, members, ticketCount: 400, pictures.FullName, parleyProbe))
    {
        Console.WriteLine("Parley: broadcasting…");
        parley = await FanOutRun.RunAsync(fanOut, parleyProbe, phase);
        sample = fanOut.Sample;
    }

    Console.WriteLine($"Bare SignalR: {members} connections…");
    var bareProbe = new DeliveryProbe(receivers);
    FanOutRun.Result bare;
    await using (var relay = await BareFanOut.StartAsync(members, sample, bareProbe))
    {
        Console.WriteLine("Bare SignalR: broadcasting…");
        bare = await FanOutRun.RunAsync(relay, bareProbe, phase);
    }

    var eventBytes = JsonSerializer.SerializeToUtf8Bytes(sample, ParleyJson.Options).Length;
    report.Section($"Fan-out to a room of {Number(members)} members",
        $"Every member has its own SignalR connection in the benchmark process (client and server share the machine's CPUs). " +
        $"Broadcasts are sent with {FanOutRun.InFlight} in flight for about {phase.TotalSeconds:0} s after a warm-up; latency is from " +
        $"sending the request to each of the {Number(receivers)} other members receiving the `broadcast` event ({Number(eventBytes)} bytes " +
        "of JSON, thumbnail included). Parley's broadcast is an HTTP request that checks the ticket, uses it up, reads the picture, makes " +
        "the thumbnail, stores the message and sends it to all members as a `message` event, then sends the `broadcast` event to the others. " +
        "The baseline is a bare SignalR hub relaying the same event from one connection to all the others.",
        ["what", "broadcasts", "broadcasts/s", "`broadcast` events delivered/s", "latency p50", "latency p99"],
        [FanOutRow("baseline: bare SignalR hub (`Clients.Others.SendAsync`)", bare), FanOutRow("Parley: `POST /api/broadcasts` with a ticket", parley)]);
}
finally
{
    pictures.Delete(recursive: true);
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, report.Render());
Console.WriteLine(report.Render());
Console.WriteLine($"Written to {output}");

string[] VerificationRow(string what, double perSecond) =>
    [what, Number(perSecond), Number(1e6 / perSecond, "0.00"), Number(verification.Hmac / perSecond, "0.0")];

static string[] FanOutRow(string what, FanOutRun.Result result) =>
[
    what, Number(result.Broadcasts), Number(result.BroadcastsPerSecond, "0.0"), Number(result.DeliveriesPerSecond),
    $"{Number(result.P50Ms, "0.0")} ms", $"{Number(result.P99Ms, "0.0")} ms",
];

int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

string OptionText(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
