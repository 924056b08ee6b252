using System.Globalization;
using System.Text;
using Parley.Testing;

namespace Parley.Bench.Messages;

/// <summary>Collects every round and writes, per provider and row, the best round of Parley beside the best round of the baseline.</summary>
internal sealed class Report(int members, int rounds, TimeSpan phase, int fanOutMessages)
{
    private readonly List<(string Provider, string System, string Row, DeliveryRun Run)> _runs = [];
    private readonly List<(string Provider, string System, DeliveryRun Run)> _fanOuts = [];
    private readonly List<(string Provider, string Line)> _memory = [];

    public void Add(string provider, string system, string row, DeliveryRun run) => _runs.Add((provider, system, row, run));

    private readonly List<(string Provider, List<(string Step, double Microseconds)> Steps)> _breakdowns = [];

    public void AddBreakdown(string provider, List<(string Step, double Microseconds)> steps) => _breakdowns.Add((provider, steps));

    public void AddFanOut(string provider, string system, DeliveryRun run) => _fanOuts.Add((provider, system, run));

    public void AddMemory(string provider, (double Rss, double Peak) idle, (double Rss, double Peak) connected) =>
        _memory.Add((provider, $"| {provider} | {idle.Rss:N0} MiB | {connected.Rss:N0} MiB (+{connected.Rss - idle.Rss:N0} MiB, " +
            $"{(connected.Rss - idle.Rss) * 1024 / members:N0} KiB per connection) | {connected.Peak:N0} MiB | "));

    /// <summary>VmHWM once the provider's rounds are over: the peak of the whole run, listeners connected.</summary>
    public void SetPeak(string provider, double peak)
    {
        var index = _memory.FindIndex(m => m.Provider == provider);
        _memory[index] = (provider, _memory[index].Line + $"{peak:N0} MiB |");
    }

    public void Write(string path)
    {
        var text = new StringBuilder();
        text.AppendLine("# Messages and fan-out: benchmark").AppendLine();
        text.AppendLine($"Run {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, .NET {Environment.Version}; produced by " +
            "`dotnet run -c Release --project bench/Parley.Bench.Messages`. Parley is `parley serve` in its own process; the baseline is a bare " +
            "Kestrel endpoint (same route and event) that inserts one row with the same provider (SQLite WAL with synchronous FULL, or the same " +
            "PostgreSQL) and sends one SignalR message to the room's group. Listeners (one live connection per member) and senders run in the " +
            $"benchmark process on the same 2 cores as both servers, so client work is in every figure on both sides. {rounds} rounds alternate " +
            $"which side goes first; each row shows the best round of each ({phase.TotalSeconds} s per row). Delivery time: from the start of the " +
            "POST to the event's arrival at a listener. Paced rows post at a fixed rate below both sides' saturation (latency, not queueing). " +
            "Server CPU per message: Parley's process CPU time over the row divided by the messages posted.").AppendLine();
        foreach (var provider in _runs.Select(r => r.Provider).Distinct())
        {
            text.AppendLine($"## {(provider == "sqlite" ? "SQLite" : "PostgreSQL")}").AppendLine();
            text.AppendLine("| row | bare msgs/s | Parley msgs/s | ratio | Parley deliveries/s | bare p50 / p99 | Parley p50 / p99 | Parley CPU per message |");
            text.AppendLine("|---|---|---|---|---|---|---|---|");
            foreach (var row in _runs.Where(r => r.Provider == provider).Select(r => r.Row).Distinct())
            {
                var bare = Best(provider, "bare", row);
                var parley = Best(provider, "parley", row);
                text.AppendLine($"| {row} | {N(Rate(bare))} | {N(Rate(parley))} | {Rate(parley) / Rate(bare):0.00}× | {N(parley.Deliveries / parley.Seconds)} | " +
                    $"{Ms(Lowest(provider, "bare", row, 0.5))} / {Ms(Lowest(provider, "bare", row, 0.99))} | " +
                    $"{Ms(Lowest(provider, "parley", row, 0.5))} / {Ms(Lowest(provider, "parley", row, 0.99))} | " +
                    $"{Cpu(parley)} |");
            }
            if (_runs.Any(r => r.Provider == provider && r.System == "before")) WriteBefore(text, provider);
            foreach (var (_, steps) in _breakdowns.Where(b => b.Provider == provider))
            {
                text.AppendLine().AppendLine("The posting path's steps timed alone (one thread, fresh context each, mean; see Breakdown.cs):").AppendLine();
                text.AppendLine("| step | µs |").AppendLine("|---|---|");
                foreach (var (step, microseconds) in steps) text.AppendLine($"| {step} | {microseconds:N0} |");
            }
            var bareFan = _fanOuts.Where(f => f.Provider == provider && f.System == "bare").MaxBy(f => Rate(f.Run)).Run;
            var parleyFan = _fanOuts.Where(f => f.Provider == provider && f.System == "parley").MaxBy(f => Rate(f.Run)).Run;
            text.AppendLine().AppendLine($"Fan-out: {fanOutMessages} messages to the {members:N0}-member room one after another, each once every member had the previous one.").AppendLine();
            text.AppendLine("| | messages/s | p50 | p99 | last member |").AppendLine("|---|---|---|---|---|");
            text.AppendLine($"| bare hub | {Rate(bareFan):N1} | {Ms(bareFan.Percentile(0.5))} | {Ms(bareFan.Percentile(0.99))} | {Ms(bareFan.Percentile(1))} |");
            text.AppendLine($"| Parley | {Rate(parleyFan):N1} ({Rate(parleyFan) / Rate(bareFan):0.00}×) | {Ms(parleyFan.Percentile(0.5))} | {Ms(parleyFan.Percentile(0.99))} | {Ms(parleyFan.Percentile(1))} |");
            text.AppendLine();
        }
        text.AppendLine("## Parley's memory (`/proc/PID/status`)").AppendLine();
        text.AppendLine($"| store | VmRSS started, no connections | VmRSS with {members:N0} idle live connections | VmHWM then | VmHWM after all rounds |")
            .AppendLine("|---|---|---|---|---|");
        foreach (var (_, line) in _memory) text.AppendLine(line);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, text.ToString());
        Console.WriteLine(text);
    }

    /// <summary>The other build (<c>--before</c>) beside this one and the baseline, same rounds.</summary>
    private void WriteBefore(StringBuilder text, string provider)
    {
        text.AppendLine().AppendLine("The build given with `--before`, measured in the same rounds:").AppendLine();
        text.AppendLine("| row | bare msgs/s | before msgs/s (ratio) | Parley msgs/s (ratio) | before CPU per message | Parley CPU per message | before p99 | Parley p99 |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var row in _runs.Where(r => r.Provider == provider).Select(r => r.Row).Distinct())
        {
            var (bare, earlier, parley) = (Best(provider, "bare", row), Best(provider, "before", row), Best(provider, "parley", row));
            text.AppendLine($"| {row} | {N(Rate(bare))} | {N(Rate(earlier))} ({Rate(earlier) / Rate(bare):0.00}×) | {N(Rate(parley))} ({Rate(parley) / Rate(bare):0.00}×) | " +
                $"{Cpu(earlier)} | {Cpu(parley)} | {Ms(Lowest(provider, "before", row, 0.99))} | {Ms(Lowest(provider, "parley", row, 0.99))} |");
        }
    }

    private static string Cpu(DeliveryRun run) => $"{run.ServerCpu.TotalMilliseconds / Math.Max(1, run.Count):0.00} ms";

    private DeliveryRun Best(string provider, string system, string row) =>
        _runs.Where(r => r.Provider == provider && r.System == system && r.Row == row).MaxBy(r => Rate(r.Run)).Run;

    /// <summary>The best (lowest) percentile over the rounds: on a shared, noisy machine the quietest round is the truest.</summary>
    private double Lowest(string provider, string system, string row, double p) =>
        _runs.Where(r => r.Provider == provider && r.System == system && r.Row == row).Min(r => r.Run.Percentile(p));

    private static double Rate(DeliveryRun run) => run.Count / run.Seconds;
    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
    private static string Ms(double value) => value.ToString("N1", CultureInfo.InvariantCulture) + " ms";
}
