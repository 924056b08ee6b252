namespace Parley.Client.Views;

/// <summary>
/// A player's position without a picture: it advances with <see cref="TimeProvider"/> time while the bytes under it
/// have arrived, and stalls (buffering) when it reaches the end of what was received. Bytes map to time linearly (the
/// video's average byte rate, size / duration). Thread-safe: the download and the report timers share it.
/// </summary>
public sealed class PlaybackClock
{
    /// <summary>The smallest range worth a request: a few requests a second at most, even for a low-bitrate video.</summary>
    public const long MinimumChunk = 16 * 1024;

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private DateTimeOffset _last;
    private long _received;
    private long _positionMs;
    private TimeSpan _carry;

    public PlaybackClock(TimeProvider time, long durationMs, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationMs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        _time = time;
        DurationMs = durationMs;
        Size = size;
        _last = time.GetUtcNow();
    }

    public long DurationMs { get; }

    public long Size { get; }

    /// <summary>Counts bytes that arrived; the time before they did was spent at the old buffer's end.</summary>
    public void Receive(long bytes)
    {
        lock (_lock)
        {
            Advance();
            _received += bytes;
        }
    }

    /// <summary>The state at the provider's current time.</summary>
    public PlaybackState Now()
    {
        lock (_lock)
        {
            Advance();
            var buffered = BufferedMs();
            return new(_positionMs, buffered, _received, Playing: _positionMs < buffered && _positionMs < DurationMs, Ended: _positionMs >= DurationMs);
        }
    }

    /// <summary>How many bytes to request now: none while at least half of <paramref name="ahead"/> is buffered, else up to <paramref name="ahead"/> past the position.</summary>
    public long BytesWanted(TimeSpan ahead)
    {
        lock (_lock)
        {
            Advance();
            if (_received >= Size || BufferedMs() >= _positionMs + (long)ahead.TotalMilliseconds / 2) return 0;
            var target = Math.Max(BytesAt(_positionMs + (long)ahead.TotalMilliseconds), _received + MinimumChunk);
            return Math.Min(target, Size) - _received;
        }
    }

    /// <summary>How long until the buffer falls to half of <paramref name="ahead"/> (at least a few milliseconds).</summary>
    public TimeSpan UntilRefill(TimeSpan ahead)
    {
        lock (_lock)
        {
            Advance();
            var left = BufferedMs() - _positionMs - (long)ahead.TotalMilliseconds / 2;
            return TimeSpan.FromMilliseconds(Math.Max(left, 20));
        }
    }

    private void Advance()
    {
        var now = _time.GetUtcNow();
        // Whole milliseconds only; the remainder carries over so that many short steps add up exactly.
        _carry += now - _last;
        _last = now;
        var elapsed = (long)_carry.TotalMilliseconds;
        _carry -= TimeSpan.FromMilliseconds(elapsed);
        _positionMs = Math.Min(_positionMs + Math.Max(elapsed, 0), Math.Max(_positionMs, BufferedMs()));
    }

    private long BufferedMs() => _received >= Size ? DurationMs : (long)((double)_received * DurationMs / Size);

    private long BytesAt(long positionMs) => (long)Math.Ceiling((double)Math.Min(positionMs, DurationMs) * Size / DurationMs);
}

/// <param name="PositionMs">The playback position.</param>
/// <param name="BufferedMs">How far the received bytes reach.</param>
/// <param name="BytesReceived">Bytes of the stream received so far: what reports say was downloaded.</param>
/// <param name="Playing">Not stalled and not at the end.</param>
/// <param name="Ended">The position reached the video's end.</param>
public readonly record struct PlaybackState(long PositionMs, long BufferedMs, long BytesReceived, bool Playing, bool Ended);
