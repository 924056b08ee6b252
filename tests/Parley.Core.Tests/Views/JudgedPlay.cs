using Parley.Core.Views;

namespace Parley.Core.Tests.Views;

/// <summary>
/// One play under the default rules on explicit times (seconds after <see cref="Start"/>): a 100-second video of
/// 10 MB at 800 kbit/s, a fixed play key, and counters and client times an honest client would use unless a test
/// says otherwise. No clock, no sleeping.
/// </summary>
internal sealed class JudgedPlay : IDisposable
{
    public const string PlayId = "p_judged";
    public static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    public static readonly VideoFacts Video = new(10_000_000, 100_000, 800_000);

    // 100 kB per second of video, after a 50 kB header.
    public static long BytesAt(double seconds) => 50_000 + (long)(seconds * 100_000);

    private uint _sealed;
    private uint _plain;

    public JudgedPlay(ViewRules? rules = null) => Judge = new PlayJudge(rules ?? new ViewRules());

    public PlayJudge Judge { get; }

    public PlayState State { get; } = PlayJudge.Begin(Start);

    public PlayKey Key { get; } = PlayKey.FromBytes([.. Enumerable.Range(1, PlayKey.KeyLength).Select(i => (byte)i)]);

    public static DateTimeOffset At(double seconds) => Start.AddSeconds(seconds);

    /// <summary>A report as an honest client makes it at <paramref name="seconds"/>: playing, position = elapsed time, bytes of that much video.</summary>
    public PlayReport Report(ReportKind kind, double seconds, double? positionSeconds = null, long? bytes = null,
        PlayReportFlags flags = PlayReportFlags.Playing, uint? counter = null, double? clientSeconds = null) => new(
        flags,
        counter ?? (kind == ReportKind.Sealed ? ++_sealed : ++_plain),
        bytes ?? BytesAt(positionSeconds ?? seconds),
        (uint)((positionSeconds ?? seconds) * 1000),
        At(clientSeconds ?? seconds).ToUnixTimeMilliseconds());

    public ReportJudgement Sealed(double seconds, in PlayReport report, long? served = null, long siblings = 0) =>
        Judge.JudgeSealed(State, Video, Key, PlayId, Key.Seal(PlayId, report), At(seconds), served ?? report.BytesDownloaded, siblings);

    public ReportJudgement Plain(double seconds, in PlayReport report, long? served = null, long siblings = 0) =>
        Judge.JudgePlain(State, Video, report, At(seconds), served ?? report.BytesDownloaded, siblings);

    public ReportJudgement Sealed(double seconds) => Sealed(seconds, Report(ReportKind.Sealed, seconds));

    public ReportJudgement Plain(double seconds) => Plain(seconds, Report(ReportKind.Plain, seconds));

    /// <summary>Honest reports on time up to <paramref name="seconds"/>: sealed every 5 s, plain every 15 s; every one accepted.</summary>
    public void PlayUntil(double seconds)
    {
        for (var t = 5; t <= seconds; t += 5)
        {
            Assert.True(Sealed(t).Accepted, $"sealed at {t} s");
            if (t % 15 == 0) Assert.True(Plain(t).Accepted, $"plain at {t} s");
        }
    }

    public PlayOutcome End(double seconds, long? served = null) =>
        Judge.Finish(State, Video, At(seconds), byClient: true, served ?? State.BytesReported);

    public void Dispose() => Key.Dispose();
}
