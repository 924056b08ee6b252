using Microsoft.Win32.SafeHandles;
using Parley.Core.Transfer;

namespace Parley.Client.Transfer;

/// <summary>
/// The bytes an upload plan asks for, as ranges of the file: the missing chunks in manifest order
/// (adjacent ones merged), or the whole file. Upload offset N is the N-th byte of their concatenation.
/// </summary>
internal sealed class UploadBody
{
    private readonly List<ByteRun> _runs;
    private readonly long[] _starts;

    private UploadBody(List<ByteRun> runs)
    {
        _runs = runs;
        _starts = new long[runs.Count];
        long start = 0;
        for (var i = 0; i < runs.Count; i++)
        {
            _starts[i] = start;
            start += runs[i].Length;
        }
        Length = start;
    }

    public long Length { get; }

    private readonly record struct ByteRun(long FileOffset, long Length);

    /// <summary>
    /// The plan's bytes of content of <paramref name="size"/> bytes, or null if the plan does not fit the manifest (then
    /// the server and this client disagree on the content). A plan that names chunks needs the <paramref name="manifest"/>.
    /// </summary>
    public static UploadBody? For(ContentManifest? manifest, long size, UploadPlanDto plan)
    {
        var runs = new List<ByteRun>();
        if (plan.MissingChunks is not { } missing)
        {
            if (size > 0) runs.Add(new ByteRun(0, size));
        }
        else if (manifest is null) return null;
        else
        {
            var previous = -1;
            foreach (var index in missing)
            {
                if (index <= previous || index >= manifest.Chunks.Count) return null;
                previous = index;
                var chunk = manifest.Chunks[index];
                if (runs.Count > 0 && runs[^1].FileOffset + runs[^1].Length == chunk.Offset)
                    runs[^1] = runs[^1] with { Length = runs[^1].Length + chunk.Length };
                else
                    runs.Add(new ByteRun(chunk.Offset, chunk.Length));
            }
        }
        var body = new UploadBody(runs);
        return body.Length == plan.Length ? body : null;
    }

    /// <summary>
    /// Upload bytes [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>), read from the file as
    /// they are sent; <paramref name="onRead"/> sees the upload offset reached.
    /// </summary>
    public Window Open(SafeFileHandle file, long start, long count, Action<long> onRead) => new(this, file, start, count, onRead);

    /// <summary>Where upload offset <paramref name="offset"/> is in the file, and how many bytes follow it in the same run.</summary>
    private (long FileOffset, long Remaining) Locate(long offset)
    {
        var index = Array.BinarySearch(_starts, offset);
        if (index < 0) index = ~index - 1;
        var within = offset - _starts[index];
        return (_runs[index].FileOffset + within, _runs[index].Length - within);
    }

    /// <summary>A forward-only read of part of the body; reads go straight to the file at their own offsets.</summary>
    internal sealed class Window(UploadBody body, SafeFileHandle file, long start, long count, Action<long> onRead) : Stream
    {
        private long _position;

        /// <summary>
        /// Why reading the file failed, if it did. The HTTP stack reports it as a failed request; the sender
        /// needs to know it was the file, which no retry mends.
        /// </summary>
        public IOException? FileFault { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            if (_position >= count || buffer.IsEmpty) return 0;
            var (fileOffset, remaining) = body.Locate(start + _position);
            var wanted = (int)Math.Min(buffer.Length, Math.Min(remaining, count - _position));
            int read;
            try
            {
                read = await RandomAccess.ReadAsync(file, buffer[..wanted], fileOffset, ct);
                if (read == 0) throw new EndOfStreamException("The file is shorter than when it was hashed: it changed while being sent.");
            }
            catch (IOException e)
            {
                FileFault = e;
                throw;
            }
            _position += read;
            onRead(start + _position);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
            ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
