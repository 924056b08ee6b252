namespace Parley.Core.Transfer;

/// <summary>
/// A read-only view of a seekable stream that observes the reads made through it, whichever read call is used: it
/// counts their bytes (<see cref="BytesRead"/>) and tells <paramref name="onRead"/> the position each one reached. A
/// pass over a file shows its progress this way (the client's send), and tests count what a pass read, without the
/// reader knowing about it. Disposing it disposes the stream it views.
/// </summary>
public sealed class ObservedReadStream(Stream inner, Action<long>? onRead = null) : Stream
{
    public long BytesRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Observed(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Observed(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => Observed(await inner.ReadAsync(buffer, ct));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    private int Observed(int read)
    {
        BytesRead += read;
        onRead?.Invoke(inner.Position);
        return read;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => inner.Position = value; }
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
