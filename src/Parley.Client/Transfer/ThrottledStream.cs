using System.Diagnostics;

namespace Parley.Client.Transfer;

/// <summary>
/// Keeps a flow of bytes at or under a rate. One pacer spans every request of an upload, so the cap
/// holds across PATCH requests, retries included.
/// </summary>
internal sealed class BytePacer(long bytesPerSecond)
{
    /// <summary>Idle time (hashing, a retry's pause) earns no credit beyond this, so the rate never bursts after a pause.</summary>
    private static readonly TimeSpan MaxCredit = TimeSpan.FromSeconds(1);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _bytes;

    public long BytesPerSecond { get; } = bytesPerSecond > 0 ? bytesPerSecond : throw new ArgumentOutOfRangeException(nameof(bytesPerSecond));

    /// <summary>Small enough slices that the flow is smooth: about 20 per second.</summary>
    public int SliceSize => (int)Math.Clamp(BytesPerSecond / 20, 1024, 1024 * 1024);

    /// <summary>Counts <paramref name="bytes"/> as sent and waits until the rate allows them.</summary>
    public async ValueTask PaceAsync(int bytes, CancellationToken ct)
    {
        var behind = _clock.Elapsed - Due(_bytes);
        if (behind > MaxCredit)
        {
            _clock.Restart();
            _bytes = 0;
        }
        _bytes += bytes;
        var wait = Due(_bytes) - _clock.Elapsed;
        if (wait > TimeSpan.Zero) await Task.Delay(wait, ct);
    }

    private TimeSpan Due(long bytes) => TimeSpan.FromSeconds((double)bytes / BytesPerSecond);
}

/// <summary>Reads through to another stream no faster than its <see cref="BytePacer"/> allows.</summary>
internal sealed class ThrottledStream(Stream inner, BytePacer pacer) : Stream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, pacer.SliceSize)], ct);
        if (read > 0) await pacer.PaceAsync(read, ct);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
