using System.Diagnostics;
using System.Diagnostics.Metrics;
using Parley.Core.Transfer;

namespace Parley.Server.Transfer;

/// <summary>
/// The operator's transfer figures (SPEC §1) on the platform's meters: bytes received, bytes dedup saved,
/// deliveries per tier, failures. Exported at <c>/metrics</c> and over OTLP (docs/operations.md).
/// </summary>
public sealed class TransferMetrics
{
    public const string Name = "Parley.Transfer";

    /// <summary>Spans of the transfer steps; the edge's calls to central carry the trace on (HttpClient propagation).</summary>
    public static readonly ActivitySource Tracing = new(Name);

    private readonly Counter<long> _received;
    private readonly Counter<long> _saved;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _failures;

    public TransferMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(Name);
        _received = meter.CreateCounter<long>("parley.transfer.received", "By", "Upload bytes received.");
        _saved = meter.CreateCounter<long>("parley.transfer.dedup.saved", "By", "Bytes delivered without being uploaded, thanks to dedup.");
        _delivered = meter.CreateCounter<long>("parley.transfer.delivered", "By", "Bytes of media delivered.");
        _deliveries = meter.CreateCounter<long>("parley.transfer.deliveries", "{delivery}",
            "Deliveries by the tier that had the content: local (this node), central, partial (some chunks), none (fully uploaded).");
        _failures = meter.CreateCounter<long>("parley.transfer.failures", "{transfer}", "Transfers that failed (proof, hash mismatch, expiry, cancellation).");
    }

    public void Received(long bytes) => _received.Add(bytes);

    public void Delivered(DedupTier tier, long size, long saved)
    {
        _deliveries.Add(1, new KeyValuePair<string, object?>("tier", TierName(tier)));
        _delivered.Add(size);
        _saved.Add(saved);
    }

    public void Failed() => _failures.Add(1);

    public static string TierName(DedupTier tier) => tier switch
    {
        DedupTier.Local => "local",
        DedupTier.Central => "central",
        DedupTier.Partial => "partial",
        _ => "none",
    };
}
