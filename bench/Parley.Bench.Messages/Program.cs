using System.Globalization;
using Parley.Bench.Messages;
using Parley.Testing;

// Room messages and fan-out (docs/messaging.md, "Speed"). Parley runs as its own process (`parley serve`); the
// baseline is a bare Kestrel endpoint in this process that inserts one row with the same provider and sends one
// SignalR message to the room's group. Both get the same listeners (one live connection per member, 1,000
// members, the first 20 also in a small room) and the same senders; rounds alternate which goes first.
// Usage: dotnet run -c Release --project bench/Parley.Bench.Messages [-- --members 1000 --rounds 3 --providers sqlite,postgres
//        --out bench/results/messages.md --before path/to/other/parley.dll]
var members = IntOption("--members", 1000);
var rounds = IntOption("--rounds", 3);
var output = TextOption("--out", "bench/results/messages.md");
var providers = TextOption("--providers", "sqlite,postgres").Split(',');
// Optional: another build of Parley (its parley.dll, e.g. main before a change) measured as a third side in the same rounds.
var before = TextOption("--before", "");
var phase = TimeSpan.FromSeconds(2.5);
const int FanOutMessages = 5;
// Paced rows: well below either side's saturation, so they show delivery time rather than queueing.
const double SmallPace = 25, LargePace = 5;

var report = new Report(members, rounds, phase, FanOutMessages);
foreach (var provider in providers)
{
    Console.WriteLine($"{provider}: starting parley serve and the bare endpoint…");
    await using var sides = new Sides();
    var scratch = sides.Scratch();
    var (parley, parleySide) = await sides.StartParleyAsync("parley", provider, Path.Combine(scratch, "data"), members, null);
    report.AddMemory(provider, parley.IdleMemory, parley.Memory());
    var bareStore = provider == "postgres" ? await NewPostgresDatabase("bare") : null;
    var bare = sides.Own(await BareServer.StartAsync(bareStore, scratch));
    var systems = new List<Side> { await sides.ConnectAsync("bare", bare.Address, parleySide.Seeded, members, null), parleySide };
    if (before.Length > 0) systems.Add((await sides.StartParleyAsync("before", provider, Path.Combine(scratch, "before"), members, before)).Side);
    Console.WriteLine($"{provider}: {members} listeners on each of {systems.Count} servers.");

    Console.WriteLine($"{provider}: timing the posting path's steps alone…");
    report.AddBreakdown(provider, await Breakdown.MeasureAsync(parleySide.Seeded));
    foreach (var side in systems) await side.Senders.PostAsync(side.Listeners, side.Seeded.SmallRoom, Seeded.Small, 4, TimeSpan.FromSeconds(1), null, null);
    for (var round = 0; round < rounds; round++)
    {
        // Rotate the order each round, so no side always runs first (or last) on the shared machine.
        foreach (var side in systems.Skip(round % systems.Count).Concat(systems.Take(round % systems.Count)))
        {
            Console.WriteLine($"{provider}: round {round + 1}, {side.Name}…");
            var (senders, listeners, small, large, cpu) = (side.Senders, side.Listeners, side.Seeded.SmallRoom, side.Seeded.LargeRoom, side.Cpu);
            report.Add(provider, side.Name, "20 listeners, 1 sender", await senders.PostAsync(listeners, small, Seeded.Small, 1, phase, null, cpu));
            report.Add(provider, side.Name, "20 listeners, 4 senders", await senders.PostAsync(listeners, small, Seeded.Small, 4, phase, null, cpu));
            report.Add(provider, side.Name, $"20 listeners, 4 senders paced at {SmallPace * 4:N0}/s", await senders.PostAsync(listeners, small, Seeded.Small, 4, phase, SmallPace, cpu));
            report.Add(provider, side.Name, $"{members:N0} listeners, 4 senders", await senders.PostAsync(listeners, large, members, 4, phase, null, cpu));
            report.Add(provider, side.Name, $"{members:N0} listeners, 1 sender paced at {LargePace:N0}/s", await senders.PostAsync(listeners, large, members, 1, phase, LargePace, cpu));
            report.AddFanOut(provider, side.Name, await senders.FanOutAsync(listeners, members, FanOutMessages));
        }
    }
    report.SetPeak(provider, parley.Memory().Peak);
}
report.Write(output);
return 0;

static async Task<string> NewPostgresDatabase(string purpose) =>
    await (await TestPostgres.InstanceAsync()).DatabaseAsync($"parley_bench_{purpose}_" + Guid.NewGuid().ToString("N")[..8]);

int IntOption(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
string TextOption(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;

/// <summary>One server under load: its senders, its listeners, the members and rooms it knows, and how to read its CPU time.</summary>
internal sealed record Side(string Name, Seeded Seeded, Senders Senders, Listeners Listeners, Func<TimeSpan>? Cpu);

/// <summary>Starts the servers and clients of one provider's run and disposes of them all, clients first.</summary>
internal sealed class Sides : IAsyncDisposable
{
    private readonly Stack<object> _owned = new();

    /// <summary>A scratch folder for this provider's servers and databases, deleted after them.</summary>
    public string Scratch()
    {
        var folder = Directory.CreateTempSubdirectory("parley-bench-messages-");
        Own(new ScratchFolder(folder));
        return folder.FullName;
    }

    public T Own<T>(T disposable) where T : notnull
    {
        _owned.Push(disposable);
        return disposable;
    }

    public async Task<(ParleyProcess Process, Side Side)> StartParleyAsync(string name, string provider, string dataFolder, int members, string? parleyDll)
    {
        var store = provider == "postgres"
            ? await (await TestPostgres.InstanceAsync()).DatabaseAsync($"parley_bench_{name}_" + Guid.NewGuid().ToString("N")[..8])
            : null;
        var process = Own(await ParleyProcess.StartAsync(store, dataFolder, parleyDll));
        var seeded = await Seeded.WriteAsync(store, dataFolder, members);
        process.IdleMemory = process.Memory();
        var side = await ConnectAsync(name, process.Address, seeded, members, process.CpuTime);
        // Let the connections' setup work (presence rows, announcements) settle before memory is read.
        await Task.Delay(TimeSpan.FromSeconds(2));
        return (process, side);
    }

    public async Task<Side> ConnectAsync(string name, Uri server, Seeded seeded, int members, Func<TimeSpan>? cpu) =>
        new(name, seeded, Own(new Senders(server, seeded)), Own(await Listeners.ConnectAsync(server, seeded, members)), cpu);

    public async ValueTask DisposeAsync()
    {
        while (_owned.TryPop(out var owned))
        {
            if (owned is IAsyncDisposable asyncDisposable) await asyncDisposable.DisposeAsync();
            else if (owned is IDisposable disposable) disposable.Dispose();
        }
    }
}

/// <summary>Deletes its folder when disposed (owned first, so disposed after the processes that write in it).</summary>
internal sealed class ScratchFolder(DirectoryInfo folder) : IDisposable
{
    public void Dispose() => folder.Delete(recursive: true);
}
