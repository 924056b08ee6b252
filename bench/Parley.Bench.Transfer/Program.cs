using System.Globalization;
using System.Text;
using Parley.Bench.Transfer;
using Parley.Client;
using Parley.Client.Transfer;
using Parley.Core.Transfer;
using Parley.Testing;

// End-to-end transfer benchmark (issue: deduplicated media transfer). Every figure sits beside a
// baseline measured in the same run on the same machine. Usage:
//   dotnet run -c Release --project bench/Parley.Bench.Transfer [-- --size-mib 1024 --edit-mib 256 --out bench/results/transfer.md]
var sizeMib = Option("--size-mib", 1024);
var editMib = Option("--edit-mib", 256);
var output = OptionText("--out", "bench/results/transfer.md");
var work = Directory.CreateTempSubdirectory("parley-bench-");
var report = new Report();
try
{
    var big = Path.Combine(work.FullName, "big.bin");
    await WriteRandomFile(big, sizeMib * 1024L * 1024, seed: 1);
    var bigSize = new FileInfo(big).Length;
    Console.WriteLine($"Test file: {sizeMib} MiB in {work.FullName}");

    // 1. Hashing: Parley's content id beside the accelerated command-line tools, on the same (cached) file.
    var contentId = await Measure.Best(2, async () => { await using var f = File.OpenRead(big); await ContentScanner.HashAsync(f); });
    var manifest = await Measure.Best(1, async () => { await using var f = File.OpenRead(big); await ContentScanner.ScanAsync(f); });
    var openssl = await Measure.Best(2, () => Measure.Run("openssl", "dgst", "-sha256", big));
    var sha256sum = await Measure.Best(2, () => Measure.Run("sha256sum", big));
    report.Section($"Hashing {sizeMib} MiB (best of 2, file in page cache)",
        ["what", "time", "throughput", "time ÷ openssl"],
        [
            Row("content id (`ContentScanner.HashAsync`, .NET SHA-256)", contentId, bigSize, openssl),
            Row("content id + FastCDC manifest (`ContentScanner.ScanAsync`, what `send` reads)", manifest, bigSize, openssl),
            Row("`openssl dgst -sha256` (SHA-NI)", openssl, bigSize, openssl),
            Row("`sha256sum`", sha256sum, bigSize, openssl),
        ]);

    // 2. A new upload over loopback: the whole `send` (scan, transfer, tus, server verification and
    // chunk store) beside the same bytes PUT to a Kestrel endpoint that discards them.
    await using var sink = await BareSink.StartAsync();
    var bare = await Measure.Best(2, () => sink.PutAsync(big));
    await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Transfer:MaxBlobBytes"] = (64L << 30).ToString() });
    var alice = await SignedIn(server, "alice");
    var firstRoom = await alice.CreateRoomAsync("bench 1");
    SendFileResult? sent = null;
    var upload = await Measure.Once(async () => sent = await alice.SendFileAsync(big, new SendFileOptions { Room = firstRoom.Id }));
    report.Section($"A new {sizeMib} MiB upload over loopback",
        ["what", "time", "throughput", "ratio to baseline"],
        [
            Row("baseline: PUT to a Kestrel endpoint that discards the body", bare, bigSize, bare),
            Row($"`SendFileAsync`: scan + transfer + tus + verify + store (uploaded {Mib(sent!.BytesUploaded)} MiB, dedup {sent.Dedup})", upload, bigSize, bare),
        ]);

    // 3. The same content again, by another user to another room: a dedup hit costs a scan and a proof.
    var bob = await SignedIn(server, "bob");
    var secondRoom = await bob.CreateRoomAsync("bench 2");
    SendFileResult? again = null;
    var resend = await Measure.Once(async () => again = await bob.SendFileAsync(big, new SendFileOptions { Room = secondRoom.Id }));
    report.Section($"The same {sizeMib} MiB sent again (dedup)",
        ["what", "time", "throughput", "ratio to content id alone"],
        [
            Row("content id alone (hashing, from above)", contentId, bigSize, contentId),
            Row($"`SendFileAsync` again: scan + proof of ownership (uploaded {Mib(again!.BytesUploaded)} MiB, dedup {again.Dedup})", resend, bigSize, contentId),
        ]);

    // 4. An edited copy: a 4 KiB overwrite in the middle and 100 bytes inserted at a quarter.
    var original = Path.Combine(work.FullName, "original.bin");
    var edited = Path.Combine(work.FullName, "edited.bin");
    await WriteRandomFile(original, editMib * 1024L * 1024, seed: 2);
    await WriteEditedCopy(original, edited);
    await alice.SendFileAsync(original, new SendFileOptions { Room = firstRoom.Id });
    var partial = await alice.SendFileAsync(edited, new SendFileOptions { Room = firstRoom.Id });
    var editedSize = new FileInfo(edited).Length;
    report.Section($"An edited copy of a {editMib} MiB file (4 KiB overwritten in the middle, 100 bytes inserted at a quarter)",
        ["file size", "bytes uploaded", "share uploaded", "dedup"],
        [[$"{Mib(editedSize)} MiB", $"{Mib(partial.BytesUploaded)} MiB", $"{100.0 * partial.BytesUploaded / editedSize:0.00} %", partial.Dedup.ToString().ToLowerInvariant()]]);

    await File.WriteAllTextAsync(output, report.Render());
    Console.WriteLine(report.Render());
    Console.WriteLine($"Written to {output}");
}
finally
{
    work.Delete(recursive: true);
}

static async Task<ParleyClient> SignedIn(RunningServer server, string name)
{
    var client = new ParleyClient(server.BaseAddress);
    await client.RegisterAsync(name, "benchmark password");
    await client.SignInAsync(name, "benchmark password");
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

static string[] Row(string what, TimeSpan time, long bytes, TimeSpan baseline) =>
    [what, $"{time.TotalSeconds:0.00} s", $"{Measure.MegabytesPerSecond(bytes, time):0} MB/s", $"{time / baseline:0.00}×"];

static string Mib(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

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
            .AppendLine($"Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores ({cpu ?? "unknown CPU"}), .NET {Environment.Version}, loopback only.")
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
