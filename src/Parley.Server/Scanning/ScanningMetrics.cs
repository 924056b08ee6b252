using System.Diagnostics.Metrics;

namespace Parley.Server.Scanning;

/// <summary>The second detection's figures on the platform's meters: verdicts by outcome (docs/operations.md).</summary>
public sealed class ScanningMetrics
{
    public const string Name = "Parley.Scanning";

    private readonly Counter<long> _verdicts;

    public ScanningMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _verdicts = meter.CreateCounter<long>("parley.scanning.verdicts", "{verdict}",
            "Verdicts of the second detection by outcome (passed, blocked) and whether a stored verdict was reused (a dedup hit at the same library version).");
    }

    public void Verdict(bool passed, bool reused) => _verdicts.Add(1,
        new KeyValuePair<string, object?>("outcome", passed ? "passed" : "blocked"), new KeyValuePair<string, object?>("reused", reused));
}
