namespace Parley.Core.Views;

/// <summary>
/// Judges a play's reports against the rules and the bytes the server really streamed (docs/views.md, "Checks and
/// thresholds"). Pure: no I/O and no clock of its own; every time is an argument, so the server and the simulator
/// drive the same code. The first failed check refuses the report, makes the record illegal and closes it.
/// </summary>
public sealed class PlayJudge(ViewRules rules)
{
    public ViewRules Rules => rules;

    public static PlayState Begin(DateTimeOffset startedAt) => new() { StartedAt = startedAt, RunStartedAt = startedAt };

    /// <summary>A record that is illegal from its start, e.g. <see cref="ViewReasons.KeyReused"/>: the server decides that at start.</summary>
    public static PlayState BeginIllegal(DateTimeOffset startedAt, string reason)
    {
        var state = Begin(startedAt);
        Refuse(state, reason, startedAt);
        return state;
    }

    /// <summary>A sealed report: opens it with the key (<see cref="ViewReasons.Undecryptable"/> when it fails), then every check.</summary>
    /// <exception cref="InvalidOperationException">The record is closed: the server answers 410 before judging.</exception>
    public ReportJudgement JudgeSealed(PlayState state, VideoFacts video, PlayKey key, string playId,
        ReadOnlySpan<byte> envelope, DateTimeOffset arrivedAt, long bytesServed, long bytesServedToSiblings)
    {
        EnsureOpen(state);
        if (IsExpired(state, arrivedAt)) return ReportJudgement.Late;
        if (!key.TryOpen(playId, envelope, out var report)) return Refuse(state, ViewReasons.Undecryptable, arrivedAt);
        return Judge(state, video, ReportKind.Sealed, report, arrivedAt, bytesServed, bytesServedToSiblings);
    }

    /// <summary>A plain report, already parsed with <see cref="PlayReport.TryRead"/> (malformed bytes are a 400 before the judge).</summary>
    /// <exception cref="InvalidOperationException">The record is closed: the server answers 410 before judging.</exception>
    public ReportJudgement JudgePlain(PlayState state, VideoFacts video, in PlayReport report,
        DateTimeOffset arrivedAt, long bytesServed, long bytesServedToSiblings)
    {
        EnsureOpen(state);
        if (IsExpired(state, arrivedAt)) return ReportJudgement.Late;
        return Judge(state, video, ReportKind.Plain, report, arrivedAt, bytesServed, bytesServedToSiblings);
    }

    /// <summary>
    /// Whether an open play has gone quiet: no report accepted (or none yet since the start) for longer than
    /// <see cref="ViewRules.MaxSilence"/> plus the tolerance. Such a play closes at its last accepted report; it is not
    /// illegal for that (a sleeping phone is no bot).
    /// </summary>
    public bool IsExpired(PlayState state, DateTimeOffset now) =>
        state.EndedAt is null && now - (state.LastAcceptedAt ?? state.StartedAt) > rules.MaxSilence + rules.Tolerance;

    /// <summary>
    /// Closes the record (unless a refused report closed it already) and gives its outcome. A client's end of a play
    /// that had already expired closes it at its last accepted report too. Then: plain reports but no sealed one →
    /// <see cref="ViewReasons.SealedMissing"/>; a kind silent for longer than it may be at the end → its missing reason;
    /// more bytes reported than served (now that every response is closed) →
    /// <see cref="ViewReasons.TrafficMismatch"/> or <see cref="ViewReasons.DownloadShared"/>.
    /// </summary>
    public PlayOutcome Finish(PlayState state, VideoFacts video, DateTimeOffset at, bool byClient, long bytesServed)
    {
        if (state.EndedAt is null)
        {
            var expired = !byClient || IsExpired(state, at);
            state.EndedAt = expired ? state.LastAcceptedAt ?? state.StartedAt : at;
            var failure = FinalCheck(state, bytesServed);
            if (failure is not null) Fail(state, failure);
            state.Reasons.Add(expired ? ViewReasons.Expired : ViewReasons.Ended);
        }
        var share = video.DurationMs > 0 ? Math.Clamp(state.WatchedMs() / (double)video.DurationMs, 0, 1) : 0;
        return new(state.Illegal ? PlayVerdicts.Illegal : PlayVerdicts.Legal, [.. state.Reasons],
            !state.Illegal && share >= rules.MinWatchedShare, share);
    }

    private ReportJudgement Judge(PlayState state, VideoFacts video, ReportKind kind, in PlayReport report,
        DateTimeOffset arrivedAt, long bytesServed, long bytesServedToSiblings)
    {
        state.SiblingBytes = Math.Max(state.SiblingBytes, bytesServedToSiblings);
        var failure = Check(state, video, kind, report, arrivedAt, bytesServed);
        if (failure is not null) return Refuse(state, failure, arrivedAt);
        state.RunStartedAt = RunStart(state, kind, Mark(state, kind), arrivedAt);
        Accept(state, kind, report, arrivedAt);
        return ReportJudgement.Pass;
    }

    private string? Check(PlayState state, VideoFacts video, ReportKind kind, in PlayReport report, DateTimeOffset at, long served)
    {
        var own = Mark(state, kind);
        var other = Mark(state, Other(kind));
        if (Missing(state, Other(kind), at, RunStart(state, kind, own, at))) return MissingReason(Other(kind));
        if (own is not null && report.Counter <= own.Counter) return ViewReasons.CounterReplayed;
        if (own is not null && (report.Flags & PlayReportFlags.Ended) == 0 && Early(own, rules.Period(kind), at)) return ViewReasons.ReportEarly;
        if (TooFast(state, video, own, report, at)) return ViewReasons.PositionTooFast;
        if (OutOfRange(state, video, kind, own, report)) return ViewReasons.TrafficOutOfRange;
        if (report.BytesDownloaded > served + rules.ByteSlack) return Excess(state, report.BytesDownloaded, served, rules.ByteSlack);
        if (other is not null && Disagree(own, other, report, at)) return ViewReasons.ReportsDisagree;
        return null;
    }

    // Sooner than period − tolerance after the previous report of the kind, and than two periods − tolerance after the one
    // before: a report delayed by the network, followed by one on time, is not early; two reports per period are.
    private bool Early(ReportMark own, TimeSpan period, DateTimeOffset at) =>
        at - own.ArrivedAt < period - rules.Tolerance
        && (own.PreviousArrivedAt is not { } before || at - before < 2 * period - rules.Tolerance);

    // Where this kind's current unbroken run of reports began: the start, or the first report after a silence longer
    // than its period plus the tolerance (lost requests), which this report may be.
    private DateTimeOffset RunStart(PlayState state, ReportKind kind, ReportMark? own, DateTimeOffset at) =>
        at - (own?.ArrivedAt ?? state.StartedAt) > rules.Period(kind) + rules.Tolerance ? at : state.RunStartedAt;

    // The position may not pass the end, nor advance faster than MaxPlaybackRate over the server time since this kind's
    // anchor: the start, or its last report with a seek. Measured from the anchor rather than the previous report, the
    // tolerance's jitter allowance is granted once, so a steady 3× runs out of it within a few reports.
    private bool TooFast(PlayState state, VideoFacts video, ReportMark? own, in PlayReport report, DateTimeOffset at)
    {
        var tolerance = rules.Tolerance.TotalMilliseconds;
        if (report.PositionMs > video.DurationMs + tolerance) return true;
        if ((report.Flags & PlayReportFlags.Seeked) != 0) return false;
        var (fromMs, fromAt) = own is null ? (0L, state.StartedAt) : (own.AnchorPositionMs, own.AnchorAt);
        return report.PositionMs - fromMs > rules.MaxPlaybackRate * ((at - fromAt).TotalMilliseconds + tolerance);
    }

    // Downloads only grow and stay below MaxTrafficFactor sizes; a sealed report's bytes must reach MinTrafficFactor of
    // what the distinct watched part (this report's included) weighs at the average bitrate.
    private bool OutOfRange(PlayState state, VideoFacts video, ReportKind kind, ReportMark? own, in PlayReport report)
    {
        var bytes = report.BytesDownloaded;
        if (bytes < (own?.Bytes ?? 0) || bytes > rules.MaxTrafficFactor * video.Size + rules.ByteSlack) return true;
        if (kind == ReportKind.Plain) return false;
        var watched = state.WatchedMs() + NewlyWatched(state, own, report);
        return bytes < rules.MinTrafficFactor * video.BytesFor(watched);
    }

    // A plain report and the sealed one nearest before or after it come from one client: one clock (the gap between
    // their client times matches the gap between their arrivals), one download (bytes never shrink in client-time
    // order) and one playback (the later position is within playback of the earlier, unless a seek came between).
    private bool Disagree(ReportMark? own, ReportMark other, in PlayReport report, DateTimeOffset at)
    {
        var tolerance = rules.Tolerance.TotalMilliseconds;
        var clientGap = report.ClientTimeMs - other.ClientTimeMs;
        if (Math.Abs(clientGap - (at - other.ArrivedAt).TotalMilliseconds) > tolerance) return true;
        var (earlierBytes, laterBytes) = clientGap >= 0 ? (other.Bytes, report.BytesDownloaded) : (report.BytesDownloaded, other.Bytes);
        if (laterBytes < earlierBytes) return true;
        // A seek between the two is flagged on this report only when the other one came after this kind's previous report.
        var comparable = clientGap >= 0 && (report.Flags & PlayReportFlags.Seeked) == 0 && (own is null || other.ClientTimeMs > own.ClientTimeMs);
        if (!comparable) return false;
        var advance = (long)report.PositionMs - other.PositionMs;
        return advance < -tolerance || advance > rules.MaxPlaybackRate * clientGap + tolerance;
    }

    private string? FinalCheck(PlayState state, long served)
    {
        var end = state.EndedAt!.Value;
        if (state.PlainReports > 0 && state.SealedReports == 0) return ViewReasons.SealedMissing;
        foreach (var kind in (ReadOnlySpan<ReportKind>)[ReportKind.Sealed, ReportKind.Plain])
            if (Missing(state, kind, end, state.RunStartedAt)) return MissingReason(kind);
        if (state.BytesReported > served + rules.FinalByteSlack) return Excess(state, state.BytesReported, served, rules.FinalByteSlack);
        return null;
    }

    // More reported than served: another play of the same user and content got the bytes, or nobody did.
    private static string Excess(PlayState state, long reported, long served, long slack) =>
        reported <= served + state.SiblingBytes + slack ? ViewReasons.DownloadShared : ViewReasons.TrafficMismatch;

    private static long NewlyWatched(PlayState state, ReportMark? own, in PlayReport report)
    {
        if ((report.Flags & PlayReportFlags.Seeked) != 0) return 0;
        var from = own?.PositionMs ?? 0;
        return report.PositionMs > from ? WatchedSpans.Uncovered(state.Watched, from, report.PositionMs) : 0;
    }

    private static void Accept(PlayState state, ReportKind kind, in PlayReport report, DateTimeOffset at)
    {
        var own = Mark(state, kind);
        if (kind == ReportKind.Sealed && (report.Flags & PlayReportFlags.Seeked) == 0 && report.PositionMs > (own?.PositionMs ?? 0))
            WatchedSpans.Add(state.Watched, own?.PositionMs ?? 0, report.PositionMs);
        var first = own is null;
        own ??= kind == ReportKind.Sealed ? state.LastSealed = new() : state.LastPlain = new();
        own.PreviousArrivedAt = first ? null : own.ArrivedAt;
        own.Counter = report.Counter;
        own.ArrivedAt = at;
        own.ClientTimeMs = report.ClientTimeMs;
        own.PositionMs = report.PositionMs;
        own.Bytes = report.BytesDownloaded;
        own.Seeked = (report.Flags & PlayReportFlags.Seeked) != 0;
        if (first && !own.Seeked) (own.AnchorPositionMs, own.AnchorAt) = (0, state.StartedAt);
        else if (own.Seeked) (own.AnchorPositionMs, own.AnchorAt) = (report.PositionMs, at);
        if (kind == ReportKind.Sealed) state.SealedReports++;
        else state.PlainReports++;
        state.LastAcceptedAt = at;
        state.BytesReported = Math.Max(state.BytesReported, report.BytesDownloaded);
    }

    // A kind is missing when it stayed away longer than it may while the other kind kept coming without a break (since
    // the run's start); one that never came at all is also missing after twice that since the start, however the other
    // kind came.
    private bool Missing(PlayState state, ReportKind kind, DateTimeOffset at, DateTimeOffset runStart)
    {
        var last = Mark(state, kind)?.ArrivedAt ?? state.StartedAt;
        var patience = rules.Patience(kind);
        return at - (last > runStart ? last : runStart) > patience || (Mark(state, kind) is null && at - state.StartedAt > 2 * patience);
    }

    private static string MissingReason(ReportKind kind) => kind == ReportKind.Sealed ? ViewReasons.SealedMissing : ViewReasons.PlainMissing;

    private static ReportMark? Mark(PlayState state, ReportKind kind) => kind == ReportKind.Sealed ? state.LastSealed : state.LastPlain;

    private static ReportKind Other(ReportKind kind) => kind == ReportKind.Sealed ? ReportKind.Plain : ReportKind.Sealed;

    private static ReportJudgement Refuse(PlayState state, string reason, DateTimeOffset at)
    {
        Fail(state, reason);
        state.EndedAt = at;
        return ReportJudgement.Refused(reason);
    }

    private static void Fail(PlayState state, string reason)
    {
        state.Illegal = true;
        state.Reasons.Add(reason);
    }

    private static void EnsureOpen(PlayState state)
    {
        if (state.EndedAt is not null) throw new InvalidOperationException("The play is closed; a report to it is answered 410 view.play_ended.");
    }
}
