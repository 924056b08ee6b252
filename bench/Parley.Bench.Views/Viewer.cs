using System.Security.Cryptography;
using Parley.Core.Views;

namespace Parley.Bench.Views;

/// <summary>
/// One client of one play in virtual time: it streams with HTTP ranges over its link, plays from what it has, pauses,
/// seeks, loses its connection or sleeps, and reports on its own timers as instructed, or fakes what its
/// <see cref="Profile"/> says. <see cref="Step"/> advances it by one tick.
/// </summary>
public sealed class Viewer
{
    private readonly Profile _profile;
    private readonly Random _random;
    private readonly Timeline _timeline;
    private readonly SimVideo _video;
    private readonly PlayKey _key;
    private readonly long _sealedEvery;
    private readonly long _plainEvery;

    // Drawn per record.
    private readonly double _linkBytesPerMs;
    private readonly double _rate;
    private readonly double _endMs;
    private readonly bool _vanishes;
    private readonly long _clockSkewMs;
    private readonly long _socketBuffer;
    private readonly List<(long From, long To)> _outages = [];
    private readonly (long From, long To) _sleep = (-1, -1);
    private readonly List<(double AtPosition, long Ms)> _pauses = [];
    private readonly List<(long At, double Position)> _seeks = [];

    // Playback and download.
    private double _position;
    private long _pausedUntil;
    private bool _stalled;
    private long _bufferStart;
    private long _bufferEnd;
    private long _responseStart = -1;
    private long _received;
    private long _burstUntil;
    private bool _burstOn = true;

    // Reports.
    private readonly long _answerAt;
    private long _nextSealed;
    private long _nextPlain;
    private uint _sealedCounter;
    private uint _plainCounter;
    private bool _seekedSinceSealed;
    private bool _seekedSincePlain;
    private byte[]? _lastSealed;
    private byte[]? _lastPlain;
    private long _sealedArrives;
    private long _plainArrives;

    public Viewer(Profile profile, Random random, Timeline timeline, SimVideo video, ServerPlay play, PlayKey key, long startMs)
    {
        (_profile, _random, _timeline, _video, Play, _key) = (profile, random, timeline, video, play, key);
        _sealedEvery = (long)timeline.Server.Rules.SealedEvery.TotalMilliseconds;
        _plainEvery = (long)timeline.Server.Rules.PlainEvery.TotalMilliseconds;
        _linkBytesPerMs = video.Facts.BitRate / 8000.0 * random.Uniform(profile.LinkMin, profile.LinkMax);
        _rate = random.Uniform(profile.RateMin, profile.RateMax);
        var quit = profile.QuitMax < 1 ? random.Uniform(profile.QuitMin, profile.QuitMax) : 1;
        _endMs = quit * video.DurationMs;
        _vanishes = quit < 1 && random.Chance(0.5);
        _clockSkewMs = (long)random.Uniform(-120_000, 120_000);
        _socketBuffer = (long)random.Uniform(64 * 1024, 256 * 1024);
        var watchMs = (long)(_endMs / _rate);
        for (var i = profile.OutagesMax > 0 ? random.Next(1, profile.OutagesMax + 1) : 0; i > 0; i--)
        {
            var from = startMs + (long)random.Uniform(3_000, watchMs);
            _outages.Add((from, from + (long)(random.Uniform(1, profile.OutageMaxSeconds) * 1000)));
        }
        if (profile.Sleeps)
        {
            var from = startMs + (long)random.Uniform(5_000, watchMs);
            _sleep = (from, from + (long)(random.Uniform(60, 600) * 1000));
        }
        for (var i = profile.PausesMax > 0 ? random.Next(1, profile.PausesMax + 1) : 0; i > 0; i--)
            _pauses.Add((random.Uniform(0, _endMs), (long)(random.LogUniform(5, 180) * 1000)));
        for (var i = profile.SeeksMax > 0 ? random.Next(2, profile.SeeksMax + 1) : 0; i > 0; i--)
            _seeks.Add((startMs + (long)random.Uniform(3_000, watchMs), random.Uniform(0, 0.95) * video.DurationMs));
        _answerAt = startMs + Delay();
        _nextSealed = _answerAt + _sealedEvery;
        _nextPlain = _answerAt + _plainEvery;
    }

    public ServerPlay Play { get; }

    public bool Done { get; private set; }

    /// <summary>The play whose progress this one copies instead of playing (one download shared by several sessions).</summary>
    public Viewer? Leader { get; init; }

    /// <summary>A second session that gets every request of this one too (a relay).</summary>
    public ServerPlay? RelayTo { get; init; }

    public long Received => _received;

    public void Step(long now, long tick)
    {
        if (Done) return;
        if (Play.Closed) { Stop(now, sendEnd: false); return; }    // refused or expired: the client gets 410/422
        var asleep = now >= _sleep.From && now < _sleep.To;
        var offline = asleep || _outages.Exists(o => now >= o.From && now < o.To);
        if (offline) CloseResponse();
        else if (_profile.Downloads && Leader is null) Download(tick, now);
        if (!asleep && now >= _answerAt) Advance(tick, now);
        foreach (var seek in _seeks) if (seek.At > now - tick && seek.At <= now && !asleep) SeekTo(seek.Position);
        for (; _nextSealed <= now; _nextSealed += _sealedEvery) if (!asleep) SendReport(ReportKind.Sealed, _nextSealed, offline, ended: false);
        for (; _nextPlain <= now; _nextPlain += _plainEvery) if (!asleep) SendReport(ReportKind.Plain, _nextPlain, offline, ended: false);
        if (_position >= _endMs) Stop(now, sendEnd: !_vanishes);
    }

    private void Download(long tick, long now)
    {
        var target = _profile.HeaderOnly
            ?? (long)(_profile.DownloadShare * Math.Min(_video.Size, _video.ByteAt(_position + _profile.BufferAheadSeconds * 1000 * _rate)));
        if (_bufferEnd >= target)
        {
            if (_profile.HeaderOnly is not null) CloseResponse();   // its range ended there
            return;
        }
        if (_responseStart < 0) _responseStart = _bufferEnd;
        var take = (long)Math.Min(LinkRate(now) * tick, target - _bufferEnd);
        _bufferEnd += take;
        _received += take;
        // An open-ended range: the server writes ahead into the socket as far as its buffers let it.
        var sentUpTo = _profile.HeaderOnly is not null ? _bufferEnd : Math.Min(_video.Size, _bufferEnd + _socketBuffer);
        Play.Sent(sentUpTo - _responseStart);
        if (_bufferEnd >= _video.Size) CloseResponse();
    }

    private double LinkRate(long now)
    {
        if (!_profile.Bursty) return _linkBytesPerMs;
        if (now >= _burstUntil)
        {
            _burstOn = !_burstOn;
            _burstUntil = now + (long)(_burstOn ? _random.Uniform(1_000, 3_000) : _random.Uniform(500, 4_000));
        }
        return _burstOn ? _linkBytesPerMs * 2.5 : 0;
    }

    private void Advance(long tick, long now)
    {
        if (Leader is not null) { _position = Leader._position; return; }
        if (now < _pausedUntil) return;
        var pause = _pauses.FindIndex(p => p.AtPosition <= _position);
        if (pause >= 0)
        {
            _pausedUntil = now + _pauses[pause].Ms;
            _pauses.RemoveAt(pause);
            return;
        }
        var next = Math.Min(_position + _rate * tick, _video.DurationMs);
        // Bots that do not download play nothing; they only move the position they claim.
        var playable = !_profile.Downloads || _profile.HeaderOnly is not null || _profile.DownloadShare < 1
            || (_bufferStart <= _video.ByteAt(_position) && _bufferEnd >= _video.ByteAt(next));
        _stalled = !playable;
        if (playable) _position = next;
    }

    private void SeekTo(double position)
    {
        _position = position;
        _seekedSinceSealed = _seekedSincePlain = true;
        var needed = _video.ByteAt(position);
        if (needed >= _bufferStart && needed <= _bufferEnd) return;
        CloseResponse();
        _bufferStart = _bufferEnd = needed;
    }

    private void CloseResponse()
    {
        if (_responseStart < 0) return;
        Play.CloseResponse();
        _responseStart = -1;
    }

    private void SendReport(ReportKind kind, long at, bool offline, bool ended)
    {
        var sealedKind = kind == ReportKind.Sealed;
        var counter = sealedKind ? ++_sealedCounter : ++_plainCounter;
        var flags = (ended ? PlayReportFlags.Ended : 0)
            | (at >= _pausedUntil && !_stalled && !ended ? PlayReportFlags.Playing : 0)
            | ((sealedKind ? _seekedSinceSealed : _seekedSincePlain) ? PlayReportFlags.Seeked : 0);
        var bytes = Leader?.Received ?? (_profile.Claim == BytesClaim.Actual ? _received : _video.ByteAt(_position));
        var report = new PlayReport(flags, counter, bytes, (uint)_position, SimServer.Epoch.AddMilliseconds(at + _clockSkewMs).ToUnixTimeMilliseconds());
        var payload = Payload(kind, report, at);
        if (payload is null || offline) return;   // a failed request is not sent again
        // Seeked stays set until a report carrying it went through.
        if (sealedKind) _seekedSinceSealed = false;
        else _seekedSincePlain = false;
        // One request of a kind at a time: a report waits for the previous one of its kind, so they arrive in order.
        var arrives = Math.Max(at + Delay(), (sealedKind ? _sealedArrives : _plainArrives) + 1);
        if (sealedKind) _sealedArrives = arrives;
        else _plainArrives = arrives;
        _timeline.Deliver(arrives, Play, kind, payload);
        if (RelayTo is not null) _timeline.Deliver(arrives + _random.Next(20, 200), RelayTo, kind, payload);
    }

    private byte[]? Payload(ReportKind kind, in PlayReport report, long at)
    {
        var replaying = _profile.ReplayAfterSeconds is { } after && at - _answerAt >= after * 1000;
        if (kind == ReportKind.Plain)
        {
            if (!_profile.SendsPlain) return null;
            return replaying && _lastPlain is not null ? _lastPlain : _lastPlain = report.ToBytes();
        }
        return _profile.Seal switch
        {
            SealMode.None => null,
            SealMode.Garbage => RandomNumberGenerator.GetBytes(SealedReport.Length),
            _ => replaying && _lastSealed is not null ? _lastSealed : _lastSealed = _key.Seal(Play.PlayId, report),
        };
    }

    private void Stop(long now, bool sendEnd)
    {
        Done = true;
        CloseResponse();
        if (!sendEnd) return;
        SendReport(ReportKind.Sealed, now, offline: false, ended: true);
        SendReport(ReportKind.Plain, now, offline: false, ended: true);
        var endAt = now + Delay() + 500;
        _timeline.End(endAt, Play);
        if (RelayTo is not null) _timeline.End(endAt + 100, RelayTo);
    }

    private long Delay() => (long)Math.Min(20_000, _profile.DelayBaseMs * _random.Uniform(0.5, 1.5) + _random.Exponential(_profile.JitterMeanMs));
}
