using System.Buffers.Binary;

namespace Parley.Core.Scanning.Structure;

/// <summary>
/// Reads a file forward through a buffer, counting its position: what the structure walkers need. A read
/// past the end returns false (a truncated structure), never throws, and nothing is read that the walker
/// did not ask for, so a header claiming gigabytes costs nothing until those bytes actually arrive.
/// </summary>
internal sealed class ByteReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    public long Position { get; private set; }

    /// <summary>True when no byte is left.</summary>
    public bool AtEnd => !Fill(1);

    public bool TryReadByte(out byte value)
    {
        value = 0;
        if (!Fill(1)) return false;
        value = _buffer[_start++];
        Position++;
        return true;
    }

    public bool TryRead(Span<byte> into) => ReadAtMost(into) == into.Length;

    /// <summary>Fills <paramref name="into"/> as far as the file goes; returns how many bytes were read.</summary>
    public int ReadAtMost(Span<byte> into)
    {
        var total = 0;
        while (into.Length > 0 && Fill(1))
        {
            var n = Math.Min(into.Length, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(into);
            _start += n;
            Position += n;
            total += n;
            into = into[n..];
        }
        return total;
    }

    public bool TryReadUInt32BigEndian(out uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        var read = TryRead(bytes);
        value = read ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : 0;
        return read;
    }

    public bool TryReadUInt16BigEndian(out ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        var read = TryRead(bytes);
        value = read ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : (ushort)0;
        return read;
    }

    /// <summary>Reads up to the next <paramref name="value"/> (not consuming it); false if the file ends first.</summary>
    public bool SkipUntil(byte value)
    {
        while (Fill(1))
        {
            var at = _buffer.AsSpan(_start, _end - _start).IndexOf(value);
            var skip = at < 0 ? _end - _start : at;
            _start += skip;
            Position += skip;
            if (at >= 0) return true;
        }
        return false;
    }

    /// <summary>Up to <paramref name="max"/> next bytes without reading them (fewer at the end of the file).</summary>
    public ReadOnlySpan<byte> PeekSpan(int max)
    {
        Fill(max);
        return _buffer.AsSpan(_start, Math.Min(max, _end - _start));
    }

    /// <summary>Hands the next <paramref name="count"/> bytes to <paramref name="sink"/> in pieces (e.g. a checksum); false if the file ends first.</summary>
    public bool TryConsume(long count, Action<ReadOnlySpan<byte>>? sink = null)
    {
        while (count > 0)
        {
            if (!Fill(1)) return false;
            var n = (int)Math.Min(count, _end - _start);
            sink?.Invoke(_buffer.AsSpan(_start, n));
            _start += n;
            Position += n;
            count -= n;
        }
        return true;
    }

    /// <summary>Reads to the end; returns how many bytes were left.</summary>
    public long ConsumeRest()
    {
        var before = Position;
        while (Fill(1))
        {
            Position += _end - _start;
            _start = _end;
        }
        return Position - before;
    }

    /// <summary>Makes at least <paramref name="count"/> bytes (up to the buffer's size) available; false if the file ends first.</summary>
    public bool Fill(int count)
    {
        if (_end - _start >= count) return true;
        _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
        _end -= _start;
        _start = 0;
        while (_end < count)
        {
            var read = stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0) return false;
            _end += read;
        }
        return true;
    }

}
