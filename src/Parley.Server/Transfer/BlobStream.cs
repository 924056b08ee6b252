namespace Parley.Server.Transfer;

/// <summary>
/// Presents a blob's chunk files as one seekable stream, so range requests, ownership proofs and
/// node-to-node fetches read a blob like a file. Chunk files open lazily, one at a time.
/// </summary>
public sealed class BlobStream : Stream
{
    private readonly ChunkStore _store;
    private readonly (string ChunkId, int Length)[] _chunks;
    private readonly long[] _starts;
    private long _position;
    private int _openIndex = -1;
    private FileStream? _open;

    public BlobStream(ChunkStore store, IReadOnlyList<(string ChunkId, int Length)> chunks)
    {
        _store = store;
        _chunks = [.. chunks];
        _starts = new long[_chunks.Length];
        long offset = 0;
        for (var i = 0; i < _chunks.Length; i++)
        {
            _starts[i] = offset;
            offset += _chunks[i].Length;
        }
        Length = offset;
    }

    public override long Length { get; }
    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;

    public override long Position
    {
        get => _position;
        set => _position = value is >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (!Locate(out var index, out var within, buffer.Length, out var count)) return 0;
        _open!.Position = within;
        var read = _open.Read(buffer[..count]);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (!Locate(out var index, out var within, buffer.Length, out var count)) return 0;
        _open!.Position = within;
        var read = await _open.ReadAsync(buffer[..count], ct);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    /// <summary>Finds the chunk holding the current position and opens it; false at the end.</summary>
    private bool Locate(out int index, out long within, int wanted, out int count)
    {
        index = 0;
        within = 0;
        count = 0;
        if (_position >= Length || wanted == 0) return false;
        index = Array.BinarySearch(_starts, _position);
        if (index < 0) index = ~index - 1;
        within = _position - _starts[index];
        count = (int)Math.Min(wanted, _chunks[index].Length - within);
        if (_openIndex != index)
        {
            _open?.Dispose();
            _open = _store.OpenRead(_chunks[index].ChunkId);
            _openIndex = index;
        }
        return true;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => Length + offset,
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing) _open?.Dispose();
        base.Dispose(disposing);
    }

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
