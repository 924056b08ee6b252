using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Parley.Bench.LocalScan;
using Parley.Client.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Core.Transfer;

// The client's reads of a file before a send (issue 13), each beside SHA-256 alone on the same file in the same run:
// the first detection (content id + structural checks + feature library + embedded content), the chunk manifest
// (content id + FastCDC + chunk hashes) on one and two cores, and both in one read. Rounds are interleaved and the
// best of them kept: the machine is shared, and noise only ever adds time. Usage:
//   dotnet run -c Release --project bench/Parley.Bench.LocalScan [-- --size-mib 1024 --rounds 3 --mp4-mib 256 --out bench/results/local-scan.md]
var sizeMib = Option("--size-mib", 1024);
var rounds = Option("--rounds", 3);
var mp4Mib = Option("--mp4-mib", 0);
var output = OptionText("--out", "bench/results/local-scan.md");
var work = Directory.CreateTempSubdirectory("parley-localscan-");
try
{
    var random = Path.Combine(work.FullName, "random.bin");
    Libraries.WriteRandomFile(random, sizeMib * 1024L * 1024, seed: 1);
    var libraries = new (string Name, FeatureLibrary Library)[]
    {
        ("0 features", FeatureLibrary.Empty),
        ("100 patterns + 500 hashes", Libraries.Patterns(100, 500, seed: 2)),
        ("10,000 patterns", Libraries.Patterns(10_000, 0, seed: 3)),
    };
    var report = new StringBuilder($"# The client's reads of a file (bench/Parley.Bench.LocalScan)\n\n{Environment.ProcessorCount} cores, .NET {Environment.Version}, " +
        $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Each figure is the best of {rounds} interleaved rounds, beside SHA-256 alone on the same file in the same run.\n");
    report.Append(Table($"A {sizeMib} MiB random file in page cache", random, libraries, rounds));
    if (mp4Mib > 0)
    {
        var mp4 = Path.Combine(work.FullName, "clip.mp4");
        MakeMp4(mp4, mp4Mib);
        report.Append(Table($"An H.264 MP4 made by ffmpeg ({new FileInfo(mp4).Length / (1024 * 1024)} MiB) in page cache", mp4, libraries, rounds));
    }
    File.WriteAllText(output, report.ToString());
    Console.WriteLine(report);
    Console.WriteLine($"Written to {output}");
}
finally
{
    work.Delete(recursive: true);
}

static string Table(string title, string path, (string Name, FeatureLibrary Library)[] libraries, int rounds)
{
    var size = new FileInfo(path).Length;
    var name = Path.GetFileName(path);
    var cases = new List<(string What, Func<Task> Run)>
    {
        (".NET SHA-256 alone (`IncrementalHash`, 1 MiB reads of a `FileStream`): **the baseline**", () => Sha256Alone(path)),
        ("`openssl dgst -sha256`", () => Run("openssl", "dgst", "-sha256", path)),
    };
    foreach (var (label, library) in libraries)
    {
        var scanner = new LocalScanner(library);
        cases.Add(($"first detection (content id + scan), {label}: `LocalScanner.ScanFileAsync`, two cores", () => scanner.ScanFileAsync(path)));
    }
    cases.Add(("manifest (content id + FastCDC + chunk hashes), one core (`ScanAsync` with a chunk callback)", () => WithFile(path, f => ContentScanner.ScanAsync(f, null, null, default))));
    cases.Add(("manifest, two cores (`ContentScanner.ScanAsync`)", () => WithFile(path, f => ContentScanner.ScanAsync(f))));
    var shareScanner = new LocalScanner(libraries[1].Library);
    cases.Add(($"scan ({libraries[1].Name}) + manifest in one read, two cores (`LocalScanner.ScanForShareAsync`)",
        () => WithFile(path, f => shareScanner.ScanForShareAsync(f, name, null, null))));

    // Wall time and this process's CPU time (openssl runs in its own process: wall time only).
    var best = cases.Select(_ => TimeSpan.MaxValue).ToArray();
    var cpu = cases.Select(_ => TimeSpan.MaxValue).ToArray();
    using var self = Process.GetCurrentProcess();
    for (var round = 0; round < rounds; round++)
        for (var i = 0; i < cases.Count; i++)
        {
            self.Refresh();
            var cpuBefore = self.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            cases[i].Run().GetAwaiter().GetResult();
            best[i] = watch.Elapsed < best[i] ? watch.Elapsed : best[i];
            self.Refresh();
            cpu[i] = self.TotalProcessorTime - cpuBefore < cpu[i] ? self.TotalProcessorTime - cpuBefore : cpu[i];
            Console.WriteLine($"round {round + 1}: {watch.Elapsed.TotalSeconds:0.000} s  {cases[i].What}");
        }
    var text = new StringBuilder($"\n## {title}\n\n| what | time | MB/s | time ÷ SHA-256 alone | speed ÷ SHA-256 alone | CPU time (this process) |\n|---|---|---|---|---|---|\n");
    for (var i = 0; i < cases.Count; i++)
        text.Append(CultureInfo.InvariantCulture, $"| {cases[i].What} | {best[i].TotalSeconds:0.000} s | {size / 1e6 / best[i].TotalSeconds:0} | " +
            $"{best[i] / best[0]:0.00}× | {best[0] / best[i]:0.00}× | {(i == 1 ? "–" : $"{cpu[i].TotalSeconds:0.00} s")} |\n");
    return text.ToString();
}

static async Task Sha256Alone(string path)
{
    await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
    using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    var buffer = new byte[1024 * 1024];
    int read;
    while ((read = file.Read(buffer)) > 0) hash.AppendData(buffer, 0, read);
    hash.GetHashAndReset();
}

static async Task WithFile(string path, Func<Stream, Task> action)
{
    await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
    await action(file);
}

static Task Run(string program, params string[] arguments)
{
    var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments) start.ArgumentList.Add(argument);
    using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot start {program}.");
    process.StandardOutput.ReadToEnd();
    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    return process.ExitCode == 0 ? Task.CompletedTask : throw new InvalidOperationException($"{program} failed: {error}");
}

// Lossless H.264 of a moving test pattern: a large real container (moov, mdat) at a few hundred MB/s of output.
static void MakeMp4(string path, int mib)
{
    var seconds = Math.Max(1, mib / 40);
    Run("ffmpeg", "-v", "error", "-f", "lavfi", "-i", $"testsrc2=size=1920x1080:rate=30:duration={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p", path).GetAwaiter().GetResult();
}

int Option(string name, int fallback) => int.Parse(OptionText(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

string OptionText(string name, string fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
}
