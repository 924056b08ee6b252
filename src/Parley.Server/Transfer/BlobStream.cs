namespace Parley.Server.Transfer;

/// <summary><paramref name="Length"/> bytes of the file at <paramref name="Path"/>, from <paramref name="FileOffset"/>.</summary>
public readonly record struct BlobPart(string Path, long FileOffset, int Length);

/// <summary>
/// Presents a blob's chunk files (or, while an upload is verified, stored chunks and pieces of the
/// upload file) as one seekable stream, so range requests, ownership proofs, verification and
/// node-to-node fetches read a blob like a file. Files open lazily, one at a time.
/// </summary>
public sealed class BlobStream : Stream
{
    private readonly BlobPart[] _parts;
    private readonly long[] _starts;
    private long _position;
    private int _openIndex = -1;
    private FileStream? _open;

    public BlobStream(IReadOnlyList<BlobPart> parts)
    {
        _parts = [.. parts];
        _starts = new long[_parts.Length];
        long offset = 0;
        for (var i = 0; i < _parts.Length; i++)
        {
            _starts[i] = offset;
            offset += _parts[i].Length;
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
        _open!.Position = _parts[index].FileOffset + within;
        var read = _open.Read(buffer[..count]);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        if (!Locate(out var index, out var within, buffer.Length, out var count)) return 0;
        _open!.Position = _parts[index].FileOffset + within;
        var read = await _open.ReadAsync(buffer[..count], ct);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    /// <summary>Finds the part holding the current position and opens it; false at the end.</summary>
    private bool Locate(out int index, out long within, int wanted, out int count)
    {
        index = 0;
        within = 0;
        count = 0;
        if (_position >= Length || wanted == 0) return false;
        index = Array.BinarySearch(_starts, _position);
        if (index < 0) index = ~index - 1;
        within = _position - _starts[index];
        count = (int)Math.Min(wanted, _parts[index].Length - within);
        if (_openIndex != index)
        {
            _open?.Dispose();
            _open = new FileStream(_parts[index].Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, FileOptions.Asynchronous);
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
