using Parley.Bench.Passphrase;
using Parley.Testing;

// Passphrase-session benchmark (docs/passphrase.md, "Benchmarks"). Every figure sits beside a baseline
// measured in the same run on the same machine; loops are bounded by time. Usage:
//   dotnet run -c Release --project bench/Parley.Bench.Passphrase [-- --seconds 4 --out bench/results/passphrase.md]
var seconds = args.SkipWhile(a => a != "--seconds").Skip(1).Select(int.Parse).FirstOrDefault(4);
var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault("bench/results/passphrase.md");
var budget = TimeSpan.FromSeconds(seconds);

var report = new Report();
await using (var server = await RunningServer.StartAsync())
{
    await HandshakeBench.RunAsync(server, report, budget);
    await MessageBench.RunAsync(server, report, budget);
}

Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, report.ToString());
Console.WriteLine();
Console.WriteLine(report);
Console.WriteLine($"Written to {Path.GetFullPath(output)}");
