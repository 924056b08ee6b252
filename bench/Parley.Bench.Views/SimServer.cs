using Parley.Core.Views;

namespace Parley.Bench.Views;

/// <summary>
/// The server's side of the simulation: real key agreement per play, the start-time key-reuse check, the byte
/// counter of each play's stream, and <see cref="PlayJudge"/> on every report at its arrival time.
/// </summary>
public sealed class SimServer(ViewRules rules)
{
    /// <summary>The server makes a play's byte count durable at least this often within a response.</summary>
    public const long FlushEvery = 256 * 1024;

    public static readonly DateTimeOffset Epoch = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    private readonly HashSet<string> _usedShares = [];
    private int _plays;

    public PlayJudge Judge { get; } = new(rules);

    public ViewRules Rules => rules;

    /// <summary>Lowest ratio of reported bytes to the watched part's weight at the average bitrate, over accepted sealed reports past 10 s watched.</summary>
    public double MinTrafficRatio { get; private set; } = double.PositiveInfinity;

    /// <summary>Most bytes an accepted report claimed beyond the server's durable count at its arrival.</summary>
    public long MaxExcess { get; private set; }

    /// <summary>Most bytes a record's reports claimed beyond the bytes served when it ended.</summary>
    public long MaxFinalExcess { get; private set; }

    internal void Observe(PlayState state, SimVideo video, long served)
    {
        MaxExcess = Math.Max(MaxExcess, state.BytesReported - served);
        var watched = state.WatchedMs();
        if (watched >= 10_000 && state.LastSealed is { } last)
            MinTrafficRatio = Math.Min(MinTrafficRatio, last.Bytes / (watched * (double)video.Facts.BitRate / 8000));
    }

    internal void ObserveEnd(PlayState state, long served) => MaxFinalExcess = Math.Max(MaxFinalExcess, state.BytesReported - served);

    /// <summary>
    /// Starts a play as <c>POST /api/views/plays</c> does: a reused client share makes the record illegal from the
    /// start; otherwise a fresh server share, the transcript, and the play key on both sides.
    /// </summary>
    public (ServerPlay Play, PlayKey ClientKey) Start(PlayShare client, SimVideo video, string userId, long nowMs, List<ServerPlay>? siblings = null)
    {
        var playId = $"p_sim{++_plays}";
        using var server = PlayShare.Create();
        var transcript = new PlayTranscript(playId, userId, "d_sim", "m_" + video.GetHashCode(), "c_" + video.GetHashCode(),
            client.Public, server.Public, (long)rules.SealedEvery.TotalMilliseconds, (long)rules.PlainEvery.TotalMilliseconds);
        var startedAt = Epoch.AddMilliseconds(nowMs);
        var state = _usedShares.Add(client.Public) ? PlayJudge.Begin(startedAt) : PlayJudge.BeginIllegal(startedAt, ViewReasons.KeyReused);
        var play = new ServerPlay(this, playId, server.DeriveKey(client.Public, transcript), state, video, siblings ?? []);
        play.Siblings.Add(play);
        return (play, client.DeriveKey(server.Public, transcript));
    }
}

/// <summary>One play on the server: its key, judge state, and what its stream has sent (all of it counted, some not yet durable).</summary>
public sealed class ServerPlay(SimServer server, string playId, PlayKey key, PlayState state, SimVideo video, List<ServerPlay> siblings)
{
    private long _flushed;
    private long _responseSent;

    public string PlayId => playId;

    public PlayState State => state;

    public SimVideo Video => video;

    /// <summary>Plays of the same user and video, this one included.</summary>
    public List<ServerPlay> Siblings => siblings;

    public PlayOutcome? Outcome { get; private set; }

    public bool Closed => state.EndedAt is not null;

    /// <summary>The count the judge sees: closed responses in full, the open one in whole 256 KiB steps.</summary>
    public long BytesServed => _flushed + _responseSent / SimServer.FlushEvery * SimServer.FlushEvery;

    /// <summary>The open response has now sent this many bytes in all (never fewer than before).</summary>
    public void Sent(long responseBytes) => _responseSent = Math.Max(_responseSent, responseBytes);

    /// <summary>The response ended (done, aborted by a seek, a broken connection): its count becomes durable in full.</summary>
    public void CloseResponse()
    {
        _flushed += _responseSent;
        _responseSent = 0;
    }

    public void Report(ReportKind kind, byte[] payload, long atMs)
    {
        if (Closed) return;   // 410 view.play_ended
        var at = SimServer.Epoch.AddMilliseconds(atMs);
        var others = 0L;
        foreach (var sibling in siblings) if (sibling != this) others += sibling.BytesServed;
        ReportJudgement judgement;
        if (kind == ReportKind.Sealed)
            judgement = server.Judge.JudgeSealed(state, video.Facts, key, playId, payload, at, BytesServed, others);
        else if (PlayReport.TryRead(payload, out var report))
            judgement = server.Judge.JudgePlain(state, video.Facts, report, at, BytesServed, others);
        else return;   // 400 view.report_malformed: the record is not touched
        if (!judgement.Accepted) Finish(atMs, byClient: false);
        else server.Observe(state, video, BytesServed);
    }

    public void Finish(long atMs, bool byClient)
    {
        if (Outcome is not null) return;
        Outcome = server.Judge.Finish(state, video.Facts, SimServer.Epoch.AddMilliseconds(atMs), byClient, BytesServed);
        server.ObserveEnd(state, BytesServed);
        key.Dispose();
    }

    /// <summary>What a query would do to a play nobody ended: close it if it expired by <paramref name="atMs"/>.</summary>
    public void FinishIfQuiet(long atMs)
    {
        if (Outcome is null && (Closed || server.Judge.IsExpired(state, SimServer.Epoch.AddMilliseconds(atMs)))) Finish(atMs, byClient: false);
    }
}
