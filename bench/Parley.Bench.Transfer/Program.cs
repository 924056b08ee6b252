using System.Diagnostics;
using System.Globalization;
using System.Text;
using Parley.Bench.Transfer;
using Parley.Client;
using Parley.Client.Scanning;
using Parley.Client.Transfer;
using Parley.Core.Transfer;
using Parley.Testing;

// End-to-end transfer benchmark (issue 13). Every figure sits beside a baseline measured in the same run: rounds are
// interleaved (each round runs every measurement once), the best of the rounds is the figure and the range is shown.
// The server is the built `parley serve` in a process of its own (its memory is its own), once on SQLite and once
// on PostgreSQL (a throwaway server, tests/Parley.Testing), both running during the whole benchmark.
// Usage: dotnet run -c Release --project bench/Parley.Bench.Transfer [-- --size-mib 1024 --rounds 3 --edit-mib 256 --out bench/results/transfer.md]
// (--sqlite-only skips PostgreSQL, for quick iterations; --before FOLDER adds a SQLite server running the parley.dll
// of another build, e.g. a copy of this bin folder made before a change, measured in the same rounds).
var sizeMib = Option("--size-mib", 1024);
var rounds = Option("--rounds", 3);
var editMib = Option("--edit-mib", 256);
var output = OptionText("--out", "bench/results/transfer.md");
var work = Directory.CreateTempSubdirectory("parley-bench-");
var report = new Report();
var servers = new List<(string Name, ServerProcess Server)>();
try
{
    // One file of new content per round: a new upload must find nothing to reuse.
    var files = new List<string>();
    for (var r = 0; r < rounds; r++)
    {
        files.Add(Path.Combine(work.FullName, $"new-{r}.bin"));
        await WriteRandomFile(files[^1], sizeMib * 1024L * 1024, seed: 100 + r);
    }
    var size = new FileInfo(files[0]).Length;
    Console.WriteLine($"{rounds} files of {sizeMib} MiB in {work.FullName}");

    await using var bare = await BareStore.StartAsync(Path.Combine(work.FullName, "bare"));
    servers.Add(("SQLite", await ServerProcess.StartAsync(Path.Combine(work.FullName, "sqlite"), null)));
    var postgres = args.Contains("--sqlite-only") ? null : await PostgresOrNull();
    if (postgres is not null) servers.Add(("PostgreSQL", await ServerProcess.StartAsync(Path.Combine(work.FullName, "postgres"), postgres)));
    if (OptionText("--before", "") is { Length: > 0 } before)
        servers.Add(("SQLite, build before", await ServerProcess.StartAsync(Path.Combine(work.FullName, "before"), null, before)));
    var senders = new List<(ParleyClient Alice, string Room, ParleyClient Bob, string BobRoom)>();
    foreach (var (_, server) in servers)
    {
        var alice = await SignedIn(server.Address, "alice", Path.Combine(work.FullName, $"home-{senders.Count}-alice"));
        var bob = await SignedIn(server.Address, "bob", Path.Combine(work.FullName, $"home-{senders.Count}-bob"));
        senders.Add((alice, (await alice.CreateRoomAsync("new uploads")).Id, bob, (await bob.CreateRoomAsync("re-sends")).Id));
    }

    // Warm-up, untimed: the first upload of a fresh process pays the JIT (about two CPU-seconds for the server).
    var warm = Path.Combine(work.FullName, "warm-up.bin");
    await WriteRandomFile(warm, 8 * 1024 * 1024, seed: 99);
    await bare.HashAndPutAsync(warm, fsync: true);
    foreach (var (alice, room, _, _) in senders) await alice.SendFileAsync(warm, new SendFileOptions { Room = room });

    Samples plain = new(), synced = new(), plainHash = new(), plainPut = new(), hash = new(), manifest = new();
    var uploads = servers.Select(_ => (Total: new Samples(), Phases: new PhaseSamples(), Peak: new List<long>(), Cpu: new Samples(), Resend: new Samples())).ToList();
    for (var r = 0; r < rounds; r++)
    {
        Console.WriteLine($"round {r + 1} of {rounds}");
        await plain.Time(async () =>
        {
            var (hashed, put) = await bare.HashAndPutAsync(files[r], fsync: false);
            plainHash.Add(hashed);
            plainPut.Add(put);
        });
        await synced.Time(() => bare.HashAndPutAsync(files[r], fsync: true));
        for (var s = 0; s < servers.Count; s++)
        {
            var (alice, room, bob, bobRoom) = senders[s];
            servers[s].Server.ResetPeak();
            var cpu = servers[s].Server.CpuTime();
            var phases = new PhaseClock();
            var watch = Stopwatch.StartNew();
            var sent = await alice.SendFileAsync(files[r], new SendFileOptions { Room = room, Progress = phases });
            uploads[s].Total.Add(watch.Elapsed);
            uploads[s].Phases.Add(phases.Finish());
            uploads[s].Cpu.Add(servers[s].Server.CpuTime() - cpu);
            uploads[s].Peak.Add(servers[s].Server.PeakBytes());
            Console.WriteLine($"  {servers[s].Name}: new upload {watch.Elapsed.TotalSeconds:0.00} s, server CPU {(servers[s].Server.CpuTime() - cpu).TotalSeconds:0.00} s");
            if (sent.Dedup != DedupTier.None || sent.BytesUploaded != size) throw new InvalidOperationException($"Round {r + 1} was not a new upload: {sent}.");
            // The same content again, by another user: a dedup hit.
            var again = await Timed(uploads[s].Resend, () => bob.SendFileAsync(files[0], new SendFileOptions { Room = bobRoom }));
            if (again.BytesUploaded != 0) throw new InvalidOperationException($"The re-send uploaded {again.BytesUploaded} bytes.");
        }
        await hash.Time(() => { Measure.Sha256File(files[0]); return Task.CompletedTask; });
        await manifest.Time(async () => { await using var f = File.OpenRead(files[0]); await ContentScanner.ScanAsync(f); });
    }

    report.Section($"A new {sizeMib} MiB upload over loopback ({rounds} interleaved rounds)",
        ["what", "best", "range", "÷ baseline", "÷ fsync baseline"],
        [
            Row("baseline: client SHA-256, then PUT to a bare Kestrel endpoint that stores the body to a file", plain, plain, synced),
            Row("baseline with fsync: the same, the file fsynced before the answer", synced, plain, synced),
            .. servers.Select((server, s) =>
                Row($"Parley on {server.Name}: `ParleyClient.SendFileAsync`, new content, end to end", uploads[s].Total, plain, synced)),
        ]);
    report.Section($"Where the new upload's time goes (best of each phase over the rounds; the client's progress reports)",
        ["phase", .. servers.Select(server => server.Name), "baseline in the same rounds"],
        PhaseClock.Names.Select((name, p) => (string[])[name, .. servers.Select((_, s) => $"{Seconds(uploads[s].Phases[p].Best)} ({uploads[s].Phases[p].Range})"
                + (p == PhaseClock.Stream ? $", {uploads[s].Phases[p].Best / plainPut.Best:0.00}× the PUT" : "")),
            p switch
            {
                0 => $"the baseline's SHA-256 of the file: {Seconds(plainHash.Best)} ({plainHash.Range})",
                PhaseClock.Stream => $"bare PUT of the body to a file: {Seconds(plainPut.Best)} ({plainPut.Range})",
                _ => "",
            }]));
    report.Section("Server memory and CPU during the upload (separate `parley serve` process)",
        ["server", "peak RSS (VmHWM) during the upload, best", "range", "resident after", "server CPU time per upload, best", "range"],
        servers.Select((server, s) => new[]
        {
            server.Name, Mib(uploads[s].Peak.Min()) + " MiB", $"{Mib(uploads[s].Peak.Min())}–{Mib(uploads[s].Peak.Max())} MiB", Mib(server.Server.ResidentBytes()) + " MiB",
            Seconds(uploads[s].Cpu.Best), uploads[s].Cpu.Range,
        }));
    report.Section($"The same {sizeMib} MiB sent again by another user (dedup hit), and the manifest",
        ["what", "best", "range", "ratio"],
        [
            ["baseline: .NET SHA-256 of the file alone", Seconds(hash.Best), hash.Range, "1.00×"],
            .. servers.Select((server, s) => new[]
            {
                $"re-send on {server.Name}: `SendFileAsync`, nothing uploaded (time ÷ SHA-256)", Seconds(uploads[s].Resend.Best), uploads[s].Resend.Range,
                $"{uploads[s].Resend.Best / hash.Best:0.00}×",
            }),
            ["manifest: `ContentScanner.ScanAsync` (content id + FastCDC + chunk ids) (speed ÷ SHA-256 speed)", Seconds(manifest.Best), manifest.Range,
                $"{hash.Best / manifest.Best:0.00}×"],
        ]);

    // An edited copy: a 4 KiB overwrite in the middle and 100 bytes inserted at a quarter (SQLite server).
    var original = Path.Combine(work.FullName, "original.bin");
    var edited = Path.Combine(work.FullName, "edited.bin");
    await WriteRandomFile(original, editMib * 1024L * 1024, seed: 2);
    await WriteEditedCopy(original, edited);
    await senders[0].Alice.SendFileAsync(original, new SendFileOptions { Room = senders[0].Room });
    var partial = await senders[0].Alice.SendFileAsync(edited, new SendFileOptions { Room = senders[0].Room });
    var editedSize = new FileInfo(edited).Length;
    report.Section($"An edited copy of a {editMib} MiB file (4 KiB overwritten in the middle, 100 bytes inserted at a quarter; SQLite)",
        ["file size", "bytes uploaded", "share uploaded", "dedup"],
        [[$"{Mib(editedSize)} MiB", $"{Mib(partial.BytesUploaded)} MiB", $"{100.0 * partial.BytesUploaded / editedSize:0.00} %", partial.Dedup.ToString().ToLowerInvariant()]]);

    await File.WriteAllTextAsync(output, report.Render());
    Console.WriteLine(report.Render());
    Console.WriteLine($"Written to {output}");
}
finally
{
    foreach (var (_, server) in servers) await server.DisposeAsync();
    work.Delete(recursive: true);
}

static async Task<T> Timed<T>(Samples samples, Func<Task<T>> action)
{
    var watch = Stopwatch.StartNew();
    var result = await action();
    samples.Add(watch.Elapsed);
    return result;
}

static async Task<string?> PostgresOrNull()
{
    try
    {
        return await (await TestPostgres.InstanceAsync()).DatabaseAsync("parley_bench_" + Guid.NewGuid().ToString("N")[..12]);
    }
    catch (Exception e)
    {
        Console.Error.WriteLine($"No PostgreSQL ({e.Message}): SQLite only. scripts/install-test-deps installs it.");
        return null;
    }
}

/// <summary>A user with a registered device, as `parley send` is: the first detection runs and signs each share.</summary>
static async Task<ParleyClient> SignedIn(Uri server, string name, string home)
{
    var client = new ParleyClient(server);
    await client.RegisterAsync(name, "benchmark password");
    var session = await client.SignInAsync(name, "benchmark password");
    var key = DeviceKey.Create();
    await client.RegisterDeviceAsync(key, "benchmark device", session.UserId);
    Directory.CreateDirectory(home);
    client.Scanning = new ShareScanning(key, new LocalFeatureStore(Path.Combine(home, "library.txt")))
    {
        RecentShares = new FileRecentShareStore(Path.Combine(home, "recent.json")),
    };
    return client;
}

static async Task WriteRandomFile(string path, long size, int seed)
{
    var random = new Random(seed);
    var block = new byte[16 * 1024 * 1024];
    await using var file = File.Create(path);
    for (long written = 0; written < size; written += block.Length)
    {
        random.NextBytes(block);
        await file.WriteAsync(block.AsMemory(0, (int)Math.Min(block.Length, size - written)));
    }
}

static async Task WriteEditedCopy(string source, string destination)
{
    var bytes = await File.ReadAllBytesAsync(source);
    Array.Fill(bytes, (byte)0x5A, bytes.Length / 2, 4096);
    var quarter = bytes.Length / 4;
    await using var file = File.Create(destination);
    await file.WriteAsync(bytes.AsMemory(0, quarter));
    await file.WriteAsync(Enumerable.Repeat((byte)0xA5, 100).ToArray());
    await file.WriteAsync(bytes.AsMemory(quarter));
}

static string[] Row(string what, Samples samples, Samples baseline, Samples fsyncBaseline) =>
    [what, Seconds(samples.Best), samples.Range, $"{samples.Best / baseline.Best:0.00}×", $"{samples.Best / fsyncBaseline.Best:0.00}×"];

static string Seconds(TimeSpan time) => $"{time.TotalSeconds:0.00} s";

static string Mib(long bytes) => (bytes / 1048576.0).ToString("0", CultureInfo.InvariantCulture);

int Option(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 ? int.Parse(args[i + 1]) : fallback;
string OptionText(string name, string fallback) => Array.IndexOf(args, name) is var i and >= 0 ? args[i + 1] : fallback;

/// <summary>The results as Markdown, headed by the machine they were measured on.</summary>
internal sealed class Report
{
    private readonly StringBuilder _text = new();

    public Report()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim()
            : null;
        _text.AppendLine("# Transfer benchmark").AppendLine()
            .AppendLine($"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), .NET {Environment.Version}, loopback only, files in page cache.")
            .AppendLine("Rounds are interleaved (each round runs every row once); best is the figure, range the spread. Ratios are best ÷ best.")
            .AppendLine("Rerun: `dotnet run -c Release --project bench/Parley.Bench.Transfer`.").AppendLine();
    }

    public void Section(string title, string[] columns, IEnumerable<string[]> rows)
    {
        _text.AppendLine($"## {title}").AppendLine()
            .AppendLine("| " + string.Join(" | ", columns) + " |")
            .AppendLine("|" + string.Concat(columns.Select(_ => "---|")));
        foreach (var row in rows) _text.AppendLine("| " + string.Join(" | ", row) + " |");
        _text.AppendLine();
    }

    public string Render() => _text.ToString();
}
