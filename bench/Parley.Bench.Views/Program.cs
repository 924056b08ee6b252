using System.Diagnostics;
using System.Globalization;
using Parley.Bench.Views;
using Parley.Core.Views;

// The view-count simulator (honest populations and bot strategies against PlayJudge) and the report-ingest benchmark.
// Usage, from the repository root:
//   dotnet run -c Release --project bench/Parley.Bench.Views [-- --honest 1000 --bots 400 --seed 20261207 --plays 2000 --out bench/results/views.md]
var honest = Option("--honest", 1000);
var bots = Option("--bots", 400);
var seed = Option("--seed", 20261207);
var plays = Option("--plays", 2000);
var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? "bench/results/views.md";

var rules = new ViewRules();
var clock = Stopwatch.StartNew();
var results = Simulation.Run(rules, honest, bots, seed);
var simulated = clock.Elapsed;
var ingest = IngestBench.Run(plays);

var report = Report.Write(rules, seed, honest, bots, results, simulated, plays, ingest);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
await File.WriteAllTextAsync(output, report);
Console.WriteLine(report);

int Option(string name, int fallback)
{
    var value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
    return value is null ? fallback : int.Parse(value, CultureInfo.InvariantCulture);
}
