namespace Parley.Core.Views;

/// <summary>
/// What the judge remembers of one play between reports. Plain properties only: the server stores it as JSON and
/// gives it back with the next report. Only <see cref="PlayJudge"/> changes it.
/// </summary>
public sealed class PlayState
{
    /// <summary>Most distinct watched spans kept; past it the shortest is dropped (under-counting, never over-counting).</summary>
    public const int MaxWatchedSpans = 32;

    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When the record closed (refused report, end, or expiry at its last accepted report); null while open.</summary>
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>True once a check failed: the record is illegal.</summary>
    public bool Illegal { get; set; }

    /// <summary>The failed checks' reason codes and, for a record that ended by itself, <c>view.ended</c> or <c>view.expired</c>.</summary>
    public List<string> Reasons { get; set; } = [];

    public ReportMark? LastSealed { get; set; }

    public ReportMark? LastPlain { get; set; }

    public int SealedReports { get; set; }

    public int PlainReports { get; set; }

    /// <summary>
    /// Where the current unbroken run of reports began: the start, or the first report after a kind went silent for
    /// longer than its period plus the tolerance. A kind that never came is missing only when the other kind has been
    /// arriving without a break for longer than it may be silent.
    /// </summary>
    public DateTimeOffset RunStartedAt { get; set; }

    /// <summary>When the last report of either kind was accepted: where an expired play closes.</summary>
    public DateTimeOffset? LastAcceptedAt { get; set; }

    /// <summary>Highest byte count any accepted report gave.</summary>
    public long BytesReported { get; set; }

    /// <summary>Highest count of bytes served to the same user's other plays of this content seen with a report.</summary>
    public long SiblingBytes { get; set; }

    /// <summary>The distinct parts of the video the sealed reports show played, in milliseconds, sorted and disjoint.</summary>
    public List<WatchedSpan> Watched { get; set; } = [];

    /// <summary>Sum of <see cref="Watched"/>.</summary>
    public long WatchedMs()
    {
        long total = 0;
        foreach (var span in Watched) total += span.EndMs - span.StartMs;
        return total;
    }
}

/// <summary>The last accepted report of one kind.</summary>
public sealed class ReportMark
{
    public long Counter { get; set; }

    public DateTimeOffset ArrivedAt { get; set; }

    /// <summary>When the report of this kind before it arrived (the early check looks two reports back).</summary>
    public DateTimeOffset? PreviousArrivedAt { get; set; }

    public long ClientTimeMs { get; set; }

    public long PositionMs { get; set; }

    public long Bytes { get; set; }

    public bool Seeked { get; set; }

    /// <summary>Position of the playback speed check's anchor: 0 at the start, or this kind's last report with a seek.</summary>
    public long AnchorPositionMs { get; set; }

    /// <summary>When the anchor's report arrived (the start for the start).</summary>
    public DateTimeOffset AnchorAt { get; set; }
}

/// <summary>A played part of the video, [StartMs, EndMs).</summary>
public sealed class WatchedSpan
{
    public long StartMs { get; set; }

    public long EndMs { get; set; }
}

/// <summary>Sorted, disjoint <see cref="WatchedSpan"/> lists: what a new span adds, and adding it.</summary>
internal static class WatchedSpans
{
    /// <summary>How much of [start, end) the spans do not cover yet.</summary>
    public static long Uncovered(List<WatchedSpan> spans, long start, long end)
    {
        var gain = end - start;
        foreach (var span in spans)
        {
            var overlap = Math.Min(end, span.EndMs) - Math.Max(start, span.StartMs);
            if (overlap > 0) gain -= overlap;
        }
        return Math.Max(gain, 0);
    }

    /// <summary>Adds [start, end), merging what it touches; playing on extends the last span in place (no allocation).</summary>
    public static void Add(List<WatchedSpan> spans, long start, long end)
    {
        var i = 0;
        while (i < spans.Count && spans[i].EndMs < start) i++;
        if (i < spans.Count && spans[i].StartMs <= end)
        {
            var merged = spans[i];
            merged.StartMs = Math.Min(merged.StartMs, start);
            merged.EndMs = Math.Max(merged.EndMs, end);
            while (i + 1 < spans.Count && spans[i + 1].StartMs <= merged.EndMs)
            {
                merged.EndMs = Math.Max(merged.EndMs, spans[i + 1].EndMs);
                spans.RemoveAt(i + 1);
            }
            return;
        }
        spans.Insert(i, new WatchedSpan { StartMs = start, EndMs = end });
        if (spans.Count > PlayState.MaxWatchedSpans) spans.RemoveAt(Shortest(spans));
    }

    private static int Shortest(List<WatchedSpan> spans)
    {
        var shortest = 0;
        for (var i = 1; i < spans.Count; i++)
            if (spans[i].EndMs - spans[i].StartMs < spans[shortest].EndMs - spans[shortest].StartMs) shortest = i;
        return shortest;
    }
}
