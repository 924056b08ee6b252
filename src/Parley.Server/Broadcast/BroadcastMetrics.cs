using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Parley.Server.Hosting;

namespace Parley.Server.Broadcast;

/// <summary>
/// How broadcast requests were decided: which branch of the ticket check (stored and equal, not
/// stored, stored but stale), how many broadcasts went out, and refusals by code.
/// </summary>
public sealed class BroadcastMetrics : IMetricsSource
{
    public enum Check { StoredMatch, NotStored, Stale }

    private readonly long[] _checks = new long[Enum.GetValues<Check>().Length];
    private long _broadcasts;
    private readonly ConcurrentDictionary<string, long> _refusals = new();

    public void Checked(Check branch) => Interlocked.Increment(ref _checks[(int)branch]);
    public void Broadcast() => Interlocked.Increment(ref _broadcasts);
    public void Refused(string code) => _refusals.AddOrUpdate(code, 1, (_, n) => n + 1);

    public long Count(Check branch) => Interlocked.Read(ref _checks[(int)branch]);

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("# HELP parley_broadcast_ticket_checks_total Ticket checks by branch: stored copy equal, not stored (fetched), stored but stale (fetched).");
        text.AppendLine("# TYPE parley_broadcast_ticket_checks_total counter");
        foreach (var branch in Enum.GetValues<Check>())
            text.Append("parley_broadcast_ticket_checks_total{branch=\"").Append(branch switch { Check.StoredMatch => "stored", Check.NotStored => "not_stored", _ => "stale" })
                .Append("\"} ").AppendLine(Count(branch).ToString(CultureInfo.InvariantCulture));
        text.AppendLine("# HELP parley_broadcasts_total Pictures broadcast.");
        text.AppendLine("# TYPE parley_broadcasts_total counter");
        text.Append("parley_broadcasts_total ").AppendLine(Interlocked.Read(ref _broadcasts).ToString(CultureInfo.InvariantCulture));
        text.AppendLine("# HELP parley_broadcast_refusals_total Refused broadcast requests by problem code.");
        text.AppendLine("# TYPE parley_broadcast_refusals_total counter");
        foreach (var (code, count) in _refusals.OrderBy(r => r.Key))
            text.Append("parley_broadcast_refusals_total{code=\"").Append(code).Append("\"} ").AppendLine(count.ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }
}
