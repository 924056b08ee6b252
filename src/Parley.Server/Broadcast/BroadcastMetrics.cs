using System.Diagnostics;
using System.Diagnostics.Metrics;
using Parley.Server.Hosting;

namespace Parley.Server.Broadcast;

/// <summary>
/// How broadcast requests were decided, on the platform's meters: which branch of the ticket check (stored and
/// equal, not stored, stored but stale), how many broadcasts went out, and refusals by code. Refused tickets
/// are security events too, logged under <see cref="SecurityLog.Category"/>.
/// </summary>
public sealed class BroadcastMetrics
{
    public const string Name = "Parley.Broadcast";

    /// <summary>Spans of ticket issue and broadcast; the calls between upload and broadcast nodes carry the trace on.</summary>
    public static readonly ActivitySource Tracing = new(Name);

    public enum Check { StoredMatch, NotStored, Stale }

    private readonly Counter<long> _checks;
    private readonly Counter<long> _broadcasts;
    private readonly Counter<long> _refusals;
    private readonly ILogger _security;

    public BroadcastMetrics(IMeterFactory meters, ILoggerFactory logs)
    {
        var meter = meters.Create(Name);
        _checks = meter.CreateCounter<long>("parley.broadcast.ticket_checks", "{check}",
            "Ticket checks by branch: stored copy equal, not stored (fetched), stored but stale (fetched).");
        _broadcasts = meter.CreateCounter<long>("parley.broadcasts", "{broadcast}", "Pictures broadcast.");
        _refusals = meter.CreateCounter<long>("parley.broadcast.refusals", "{request}", "Refused broadcast requests by problem code.");
        _security = logs.CreateLogger(SecurityLog.Category);
    }

    public void Checked(Check branch) => _checks.Add(1, new KeyValuePair<string, object?>("branch", BranchName(branch)));

    public void Broadcast() => _broadcasts.Add(1);

    public void Refused(string code)
    {
        _refusals.Add(1, new KeyValuePair<string, object?>("code", code));
        if (code.StartsWith("ticket.", StringComparison.Ordinal)) _security.TicketRefused(code);
    }

    public static string BranchName(Check branch) => branch switch
    {
        Check.StoredMatch => "stored",
        Check.NotStored => "not_stored",
        _ => "stale",
    };
}
