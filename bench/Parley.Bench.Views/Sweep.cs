using Parley.Core.Views;

namespace Parley.Bench.Views;

/// <summary>One variant of the rules and what the simulator measured under it.</summary>
public sealed record SweepRow(string Variant, double HonestIllegal, string WorstHonest, double HonestCounted, double BotsIllegal,
    double SpeedThrough3Illegal, double PartialDownloadIllegal);

/// <summary>
/// Each threshold moved away from its default, one at a time, over a smaller population: the evidence for
/// docs/views.md, "Checks and thresholds", of what a threshold buys and what it costs.
/// </summary>
public static class Sweep
{
    public static IReadOnlyList<(string Variant, ViewRules Rules)> Variants(ViewRules d) =>
    [
        ("defaults", d),
        ("Tolerance 2 s", d with { Tolerance = TimeSpan.FromSeconds(2) }),
        ("MaxSilence 15 s (expire after T2 + tolerance)", d with { MaxSilence = TimeSpan.FromSeconds(15) }),
        ("MaxPlaybackRate 1.5", d with { MaxPlaybackRate = 1.5 }),
        ("MaxPlaybackRate 3", d with { MaxPlaybackRate = 3 }),
        ("MinTrafficFactor 0.8", d with { MinTrafficFactor = 0.8 }),
        ("MaxTrafficFactor 3", d with { MaxTrafficFactor = 3 }),
        ("ByteSlack 128 KiB", d with { ByteSlack = 128 * 1024 }),
        ("FinalByteSlack 1 MiB", d with { FinalByteSlack = 1024 * 1024 }),
    ];

    public static IReadOnlyList<SweepRow> Run(ViewRules defaults, int honest, int bots, int seed) =>
        [.. Variants(defaults).Select(v => Row(v.Variant, Simulation.Run(v.Rules, honest, bots, seed)))];

    private static SweepRow Row(string variant, IReadOnlyList<PopulationResult> results)
    {
        var honest = results.Where(r => r.Profile.Honest).ToList();
        var bots = results.Where(r => !r.Profile.Honest && !r.Profile.Name.Contains("beyond", StringComparison.Ordinal)).ToList();
        var worst = honest.MaxBy(r => r.Records.IllegalShare)!;
        return new(variant,
            Share(honest, t => t.Illegal),
            worst.Records.Illegal == 0 ? "none" : $"{worst.Profile.Name} {worst.Records.IllegalShare:P1}",
            Share(honest, t => t.Counted),
            Share(bots, t => t.Illegal),
            Beyond(results, "3×"),
            Beyond(results, "60 %"));
    }

    private static double Beyond(IReadOnlyList<PopulationResult> results, string name) =>
        results.Single(r => r.Profile.Name.StartsWith(name, StringComparison.Ordinal)).Records.IllegalShare;

    private static double Share(List<PopulationResult> rows, Func<Tally, int> pick) =>
        (double)rows.Sum(r => pick(r.Records)) / Math.Max(1, rows.Sum(r => r.Records.Records));
}
