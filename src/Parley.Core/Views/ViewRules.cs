namespace Parley.Core.Views;

/// <summary>
/// The thresholds of <see cref="PlayJudge"/>. The defaults are the values tuned with the simulator
/// (bench/Parley.Bench.Views); docs/views.md, "Checks and thresholds", says why each is what it is. The server binds
/// <c>Parley:Views</c> onto this record.
/// </summary>
public sealed record ViewRules
{
    /// <summary>First instruction (T1): a sealed report every this long.</summary>
    public TimeSpan SealedEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Second instruction (T2): a plain report every this long.</summary>
    public TimeSpan PlainEvery { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How far a report's arrival may stray from its period: it may come up to this much sooner than the period after
    /// the previous one of its kind, and up to this much later before the play expires. It also absorbs the delivery
    /// jitter in the position and clock comparisons.
    /// </summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// How long reports may stay away (requests lost in a reconnect) before the play expires, plus the tolerance; also
    /// how long one kind may stay away while the other keeps coming before it is missing (if longer than its period).
    /// </summary>
    public TimeSpan MaxSilence { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A legal record counts as a view once the distinct watched part reaches this share of the duration.</summary>
    public double MinWatchedShare { get; init; } = 0.5;

    /// <summary>Fastest playback a player may use (players offer up to 2×): position per elapsed server time.</summary>
    public double MaxPlaybackRate { get; init; } = 2.0;

    /// <summary>
    /// Lower end of the traffic range: the reported bytes must reach this share of what the watched part weighs at the
    /// video's average bitrate (variable bitrate makes some parts lighter than the average).
    /// </summary>
    public double MinTrafficFactor { get; init; } = 0.5;

    /// <summary>Upper end of the traffic range, in video sizes: re-downloads after seeks and reconnects stay below it.</summary>
    public double MaxTrafficFactor { get; init; } = 3.0;

    /// <summary>
    /// How far a report's bytes may exceed the server's count of bytes served while the play runs: the server makes
    /// its count durable at least every 256 KiB of a response, and a player may have two responses open.
    /// </summary>
    public long ByteSlack { get; init; } = 512 * 1024;

    /// <summary>How far the last reported bytes may exceed the bytes served when the play ends (responses are closed then).</summary>
    public long FinalByteSlack { get; init; } = 64 * 1024;

    /// <summary>What is wrong with these rules, if anything (empty when they are usable).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (SealedEvery <= TimeSpan.Zero) problems.Add("SealedEvery must be positive.");
        if (PlainEvery <= TimeSpan.Zero) problems.Add("PlainEvery must be positive.");
        if (Tolerance < TimeSpan.Zero || Tolerance >= SealedEvery || Tolerance >= PlainEvery)
            problems.Add("Tolerance must be at least zero and shorter than both periods.");
        if (MaxSilence < SealedEvery || MaxSilence < PlainEvery) problems.Add("MaxSilence must be at least both periods.");
        if (MinWatchedShare is < 0 or > 1) problems.Add("MinWatchedShare must be between 0 and 1.");
        if (MaxPlaybackRate < 1) problems.Add("MaxPlaybackRate must be at least 1.");
        if (MinTrafficFactor is < 0 or > 1) problems.Add("MinTrafficFactor must be between 0 and 1.");
        if (MaxTrafficFactor < 1) problems.Add("MaxTrafficFactor must be at least 1.");
        if (ByteSlack < 0 || FinalByteSlack < 0) problems.Add("ByteSlack and FinalByteSlack must be at least zero.");
        return problems;
    }

    internal TimeSpan Period(ReportKind kind) => kind == ReportKind.Sealed ? SealedEvery : PlainEvery;

    /// <summary>How long a kind may be silent while the other keeps coming.</summary>
    internal TimeSpan Patience(ReportKind kind) => (Period(kind) > MaxSilence ? Period(kind) : MaxSilence) + Tolerance;
}

/// <summary>What the server knows of the video (ffprobe): size in bytes, duration, average bitrate in bits per second.</summary>
public readonly record struct VideoFacts(long Size, long DurationMs, long BitRate)
{
    /// <summary>Bytes that <paramref name="ms"/> milliseconds weigh at the average bitrate.</summary>
    internal double BytesFor(long ms) => ms * (double)BitRate / 8000;
}

/// <summary>The two kinds of reports: sealed under the play key (first instruction) or plain (second instruction).</summary>
public enum ReportKind { Sealed, Plain }

/// <summary>The judge's answer to one report: accepted, refused with a <see cref="ViewReasons"/> code, or too late (the play expired).</summary>
public readonly record struct ReportJudgement(bool Accepted, string? Reason, bool Expired)
{
    internal static ReportJudgement Pass => new(true, null, false);
    internal static ReportJudgement Late => new(false, null, true);
    internal static ReportJudgement Refused(string reason) => new(false, reason, false);
}

/// <summary>A closed record: <see cref="PlayVerdicts"/> word, reasons, whether it counts as a view, and the watched share (0 to 1).</summary>
public sealed record PlayOutcome(string Verdict, IReadOnlyList<string> Reasons, bool Counted, double WatchedShare);
