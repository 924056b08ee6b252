using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Threading.Channels;

namespace Parley.Server.Tests.Telemetry;

/// <summary>
/// The collection OpenTelemetry's in-memory exporter writes ended spans into, awaitable: a server span ends after its
/// response is sent, so a test waits for the span rather than finding it at once. Activity listeners are
/// process-wide, so one server's exporter also sees the spans of the other servers in this process.
/// </summary>
public sealed class SpanLog : Collection<Activity>
{
    private readonly Channel<Activity> _ended = Channel.CreateUnbounded<Activity>();
    private readonly List<Activity> _read = [];

    protected override void InsertItem(int index, Activity item)
    {
        lock (_ended) base.InsertItem(index, item);
        _ended.Writer.TryWrite(item);
    }

    /// <summary>The server span a span was recorded under, if it has ended yet.</summary>
    public Activity? RequestOf(Activity span)
    {
        Dictionary<ActivitySpanId, Activity> byId;
        lock (_ended) byId = this.ToDictionary(s => s.SpanId);
        for (var current = span; current is not null; current = byId.GetValueOrDefault(current.ParentSpanId))
            if (current.Kind == ActivityKind.Server) return current;
        return null;
    }

    /// <summary>The first ended span that matches, waiting for it if need be (one reader at a time).</summary>
    public Task<Activity> WaitFor(Func<Activity, bool> match) => Find(match).Within();

    private async Task<Activity> Find(Func<Activity, bool> match)
    {
        while (true)
        {
            if (_read.FirstOrDefault(match) is { } found) return found;
            _read.Add(await _ended.Reader.ReadAsync());
        }
    }
}
