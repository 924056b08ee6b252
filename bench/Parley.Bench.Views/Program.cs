using System.Diagnostics;
using System.Globalization;
using Parley.Bench.Views;
using Parley.Core.Views;

// The view-count simulator and the report-ingest benchmark. Usage:
//   dotnet run -c Release --project bench/Parley.Bench.Views [-- --honest 1000 --bots 400 --seed 20261207 --out bench/results/views.md]
var honest = Option("--honest", 1000);
var bots = Option("--bots", 400);
var seed = Option("--seed", 20261207);
var output = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault() ?? "bench/results/views.md";

var rules = new ViewRules();
var clock = Stopwatch.StartNew();
var results = Simulation.Run(rules, honest, bots, seed);
var simulated = clock.Elapsed;
foreach (var r in results)
    Console.WriteLine($"{r.Profile.Name,-55} {r.Records.Records,6} illegal {r.Records.IllegalShare,8:P2} counted {r.Records.CountedShare,8:P2} expired {r.Records.ExpiredShare,8:P2} ratio {r.MinTrafficRatio:0.00} excess {r.MaxExcess/1024} KiB final {r.MaxFinalExcess/1024} KiB {string.Join(", ", r.Records.Reasons.Select(x => $"{x.Key} {x.Value}"))}");
Console.WriteLine($"simulated in {simulated.TotalSeconds:0.0} s");

int Option(string name, int fallback)
{
    var value = args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
    return value is null ? fallback : int.Parse(value, CultureInfo.InvariantCulture);
}
