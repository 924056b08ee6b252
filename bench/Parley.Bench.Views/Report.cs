using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Parley.Core.Views;

namespace Parley.Bench.Views;

/// <summary>bench/results/views.md: the run's conditions, the simulator's tables, the ingest table.</summary>
public static class Report
{
    public static string Write(ViewRules rules, int seed, int honest, int bots, IReadOnlyList<PopulationResult> results, TimeSpan simulated,
        int ingestPlays, IReadOnlyList<IngestResult> ingest)
    {
        var text = new StringBuilder()
            .AppendLine("# Authentic view counts: simulator and benchmark").AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC")
            .AppendLine(CultureInfo.InvariantCulture, $"- machine: {Environment.ProcessorCount} logical CPUs (`nproc`), {CpuModel()}, {RuntimeInformation.OSDescription}")
            .AppendLine(CultureInfo.InvariantCulture, $"- runtime: {RuntimeInformation.FrameworkDescription}; load average at the start: {LoadAverage()} (a shared machine)")
            .AppendLine(CultureInfo.InvariantCulture, $"- rules: the defaults of `ViewRules` ({Describe(rules)})")
            .AppendLine(CultureInfo.InvariantCulture, $"- rerun: `dotnet run -c Release --project bench/Parley.Bench.Views -- --honest {honest} --bots {bots} --seed {seed}` (same seed, same tables)");

        var honestRows = results.Where(r => r.Profile.Honest).ToList();
        var botRows = results.Where(r => !r.Profile.Honest).ToList();
        text.AppendLine().AppendLine("## Simulator").AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{results.Sum(r => r.Records.Records + (r.Genuine?.Records ?? 0)):N0} records in {simulated.TotalSeconds:0.0} s of real time (virtual time, real ECDH, HKDF and AES-GCM per play).")
            .AppendLine().AppendLine("### Bot strategies").AppendLine()
            .AppendLine("| strategy | records | illegal | counted | reasons |").AppendLine("|---|---:|---:|---:|---|");
        foreach (var row in botRows)
            text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Profile.Name} | {row.Records.Records:N0} | {Percent(row.Records.IllegalShare)} | {Percent(row.Records.CountedShare)} | {Reasons(row.Records)} |");
        var listed = botRows.Where(r => !r.Profile.Name.Contains("beyond", StringComparison.Ordinal)).ToList();
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture,
            $"Issue 10's strategies together: {Percent(Share(listed, t => t.Illegal))} of {listed.Sum(r => r.Records.Records):N0} bot records illegal (goal ≥ 99 %).");
        foreach (var row in botRows.Where(r => r.Genuine is not null))
            text.AppendLine().Append(CultureInfo.InvariantCulture,
                $"\"{row.Profile.Name}\": each group also made one genuine play (it streamed, or was the key's first use); those {row.Genuine!.Records} plays: {Percent(row.Genuine.IllegalShare)} illegal, {Percent(row.Genuine.CountedShare)} counted.");
        text.AppendLine().AppendLine().AppendLine("### Honest viewers").AppendLine()
            .AppendLine("| population | records | illegal (false positives) | counted | expired | lowest traffic ratio | most bytes over served (report / end) |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in honestRows)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Profile.Name} | {row.Records.Records:N0} | {Percent(row.Records.IllegalShare)}{(row.Records.Illegal > 0 ? " (" + Reasons(row.Records) + ")" : "")} | {Percent(row.Records.CountedShare)} | {Percent(row.Records.ExpiredShare)} | {row.MinTrafficRatio:0.00} | {row.MaxExcess / 1024:N0} KiB / {row.MaxFinalExcess / 1024:N0} KiB |");
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture,
            $"All honest records together: {Percent(Share(honestRows, t => t.Illegal))} of {honestRows.Sum(r => r.Records.Records):N0} illegal (goal ≤ 0.5 %).");

        var baseline = ingest[0].PerSecond;
        text.AppendLine().AppendLine("## Report ingest").AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"{ingestPlays:N0} plays × 6 sealed reports (an honest play's first 30 s), taken in arrival order on one thread; each row the best of 5 passes, the rows taking turns.").AppendLine()
            .AppendLine("| what | reports/s | per report | time vs. baseline | allocated per report |").AppendLine("|---|---:|---:|---:|---:|");
        foreach (var row in ingest)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.What} | {row.PerSecond:N0}/s | {1e6 / row.PerSecond:N2} µs | {baseline / row.PerSecond:N1}× | {row.AllocatedPerReport:N0} B |");
        return text.ToString();
    }

    private static string Describe(ViewRules r) => string.Create(CultureInfo.InvariantCulture,
        $"T1 {r.SealedEvery.TotalSeconds} s, T2 {r.PlainEvery.TotalSeconds} s, tolerance {r.Tolerance.TotalSeconds} s, max silence {r.MaxSilence.TotalSeconds} s, max rate {r.MaxPlaybackRate}×, traffic {r.MinTrafficFactor}–{r.MaxTrafficFactor}, slack {r.ByteSlack / 1024} KiB / {r.FinalByteSlack / 1024} KiB, min share {r.MinWatchedShare}");

    private static double Share(List<PopulationResult> rows, Func<Tally, int> pick) =>
        (double)rows.Sum(r => pick(r.Records)) / Math.Max(1, rows.Sum(r => r.Records.Records));

    private static string Percent(double share) => (share * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";

    private static string Reasons(Tally tally) => string.Join(", ", tally.Reasons.Select(r => $"`{r.Key}` {r.Value}"));

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string CpuModel()
    {
        var line = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal)) : null;
        return line is null ? "CPU model unknown" : line[(line.IndexOf(':') + 1)..].Trim();
    }
}
