using System.Globalization;
using System.Text;
using Parley.Core.Transfer;

namespace Parley.Server.Transfer;

/// <summary>
/// The operator's figures (SPEC §1): bytes received, bytes dedup saved, deliveries per tier, since
/// this process started. Rendered in the Prometheus text format at <c>/metrics</c>.
/// </summary>
public sealed class TransferMetrics : Hosting.IMetricsSource
{
    private long _bytesReceived;
    private long _bytesSaved;
    private long _bytesDelivered;
    private long _failed;
    private readonly long[] _deliveries = new long[Enum.GetValues<DedupTier>().Length];

    public void Received(long bytes) => Interlocked.Add(ref _bytesReceived, bytes);

    public void Delivered(DedupTier tier, long size, long saved)
    {
        Interlocked.Increment(ref _deliveries[(int)tier]);
        Interlocked.Add(ref _bytesDelivered, size);
        Interlocked.Add(ref _bytesSaved, saved);
    }

    public void Failed() => Interlocked.Increment(ref _failed);

    public string Render()
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help) =>
            text.Append("# HELP ").Append(name).Append(' ').AppendLine(help).Append("# TYPE ").Append(name).Append(' ').AppendLine(type);
        void Sample(string name, string labels, double value) =>
            text.Append(name).Append(labels).Append(' ').AppendLine(value.ToString("0.####", CultureInfo.InvariantCulture));
        static string Tier(DedupTier tier) => $"{{tier=\"{tier.ToString().ToLowerInvariant()}\"}}";

        Metric("parley_transfer_bytes_received_total", "counter", "Upload bytes received.");
        Sample("parley_transfer_bytes_received_total", "", Interlocked.Read(ref _bytesReceived));
        Metric("parley_transfer_bytes_saved_total", "counter", "Bytes delivered without being uploaded, thanks to dedup.");
        Sample("parley_transfer_bytes_saved_total", "", Interlocked.Read(ref _bytesSaved));
        Metric("parley_transfer_bytes_delivered_total", "counter", "Bytes of media delivered.");
        Sample("parley_transfer_bytes_delivered_total", "", Interlocked.Read(ref _bytesDelivered));
        Metric("parley_transfer_failures_total", "counter", "Transfers that failed (proof, hash mismatch, expiry, cancellation).");
        Sample("parley_transfer_failures_total", "", Interlocked.Read(ref _failed));

        var deliveries = Enumerable.Range(0, _deliveries.Length).Select(i => Interlocked.Read(ref _deliveries[i])).ToArray();
        Metric("parley_transfer_deliveries_total", "counter", "Deliveries by where the content came from (none = fully uploaded).");
        foreach (var tier in Enum.GetValues<DedupTier>()) Sample("parley_transfer_deliveries_total", Tier(tier), deliveries[(int)tier]);
        var total = deliveries.Sum();
        Metric("parley_transfer_dedup_hit_ratio", "gauge", "Share of deliveries that needed no full upload, by tier.");
        foreach (var tier in new[] { DedupTier.Local, DedupTier.Central, DedupTier.Partial })
            Sample("parley_transfer_dedup_hit_ratio", Tier(tier), total == 0 ? 0 : (double)deliveries[(int)tier] / total);
        return text.ToString();
    }
}
