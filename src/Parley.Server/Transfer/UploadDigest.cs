using System.Buffers;
using System.Security.Cryptography;
using Parley.Core.Scanning;
using Parley.Core.Transfer;
using Parley.Server.Scanning;

namespace Parley.Server.Transfer;

/// <summary>
/// Verification and chunk storage on the stream, for an upload that carries the whole content: every byte a PATCH
/// appends is hashed for the content id as it arrives, cut with <see cref="FastCdc"/> and each chunk hashed and written
/// to the upload's part folder (<see cref="ChunkStore.PartsPath"/>), so the last byte leaves only a constant amount of
/// work: the last chunk, a comparison with what was announced, and renaming the parts into the chunk store once the
/// share is kept. The parts are not in the chunk store: nothing a member can reach exists before verification and
/// screening pass. The share screening's content inspection is fed the same bytes (<see cref="StreamInspection"/>), so
/// its read of the whole file is not left for after the last byte either. During a PATCH the three consumers run beside
/// the receive loop (<see cref="Lanes"/>), on the other core.
/// </summary>
/// <remarks>
/// The state between PATCHes is the content hash, the chunks cut so far and the offset of the first uncut byte; the
/// bytes after it (less than two maximum chunks) are read back from the upload file when the next PATCH begins.
/// A node that has no state for an upload (after a restart, or when another node took the previous PATCH) re-hashes
/// and re-inspects the received prefix once (<see cref="Rebuild"/>), so a resumed upload still has every byte verified
/// and inspected, a pattern across the restart included.
/// </remarks>
public sealed class UploadDigest : IDisposable
{
    private readonly IncrementalHash _whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly List<(string ChunkId, int Length)> _chunks = [];
    private readonly string _parts;
    private byte[]? _buffer;
    private int _start, _filled;
    private readonly StreamInspection? _inspection;
    private ChunkSync? _sync;
    // The flushes of earlier PATCHes' parts, still running (one thread each, which ends when its queue is flushed).
    private readonly List<Task> _flushing = [];

    private UploadDigest(string parts, StreamInspection? inspection)
    {
        _parts = parts;
        _inspection = inspection;
    }

    /// <summary>Bytes hashed so far: the upload offset this state belongs to.</summary>
    public long Fed { get; private set; }

    /// <summary>Bytes already cut into chunks.</summary>
    private long CutOffset { get; set; }

    /// <summary>The state for an upload whose <paramref name="offset"/> bytes are in the file at <paramref name="uploadPath"/>: one read of that prefix.</summary>
    /// <param name="inspection">Fed every byte from the first (null for sealed content, which is not inspected).</param>
    public static async Task<UploadDigest> Rebuild(string uploadPath, string parts, long offset, StreamInspection? inspection, CancellationToken ct)
    {
        var digest = new UploadDigest(parts, inspection);
        Directory.CreateDirectory(parts);
        await digest.Begin(uploadPath, ct);
        var chunk = ArrayPool<byte>.Shared.Rent(1024 * 1024);
        try
        {
            await using var file = new FileStream(uploadPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.SequentialScan);
            while (digest.Fed < offset)
            {
                var read = await file.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, offset - digest.Fed)), ct);
                if (read == 0) throw new IOException($"The upload file {uploadPath} is shorter than its recorded offset {offset}.");
                digest.Append(chunk.AsSpan(0, read));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return digest;
    }

    /// <summary>Takes a pooled buffer for one PATCH and reloads the uncut tail from the upload file.</summary>
    public async Task Begin(string uploadPath, CancellationToken ct)
    {
        if (_buffer is not null) return; // still holding the tail (right after a rebuild)
        _buffer = ArrayPool<byte>.Shared.Rent(2 * FastCdc.MaxSize);
        _start = 0;
        _filled = (int)(Fed - CutOffset);
        if (_filled == 0) return;
        await using var file = new FileStream(uploadPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        file.Position = CutOffset;
        await file.ReadExactlyAsync(_buffer.AsMemory(0, _filled), ct);
    }

    /// <summary>Hashes, cuts and inspects bytes that were just written to the upload file at <see cref="Fed"/>, on this thread.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        HashWhole(data);
        CutChunks(data);
        _inspection?.Feed(data);
        Fed += data.Length;
    }

    /// <summary>
    /// The consumers of one PATCH's bytes, to run beside its receive loop (<see cref="UploadLanes"/>); each keeps its own
    /// state, so they may run at once. The caller adds what it posted to <see cref="Fed"/> via <see cref="Posted"/>.
    /// </summary>
    public IReadOnlyList<ByteLane> Lanes => _inspection is { } inspection ? [HashWhole, CutChunks, inspection.Feed] : [HashWhole, CutChunks];

    /// <summary>Bytes handed to the <see cref="Lanes"/> (once they consumed them, the state is at the new offset).</summary>
    public void Posted(int length) => Fed += length;

    private void HashWhole(ReadOnlySpan<byte> data) => _whole.AppendData(data);

    private void CutChunks(ReadOnlySpan<byte> data)
    {
        var buffer = _buffer ?? throw new InvalidOperationException("Begin a PATCH first.");
        while (!data.IsEmpty)
        {
            if (_filled == buffer.Length)
            {
                // Less than a maximum chunk is left uncut here (the cut loop below sees to it): move it to the front.
                buffer.AsSpan(_start, _filled - _start).CopyTo(buffer);
                _filled -= _start;
                _start = 0;
            }
            var n = Math.Min(data.Length, buffer.Length - _filled);
            data[..n].CopyTo(buffer.AsSpan(_filled));
            _filled += n;
            data = data[n..];
            // Cut only where a full maximum chunk is visible: the cut any reader of the whole content makes.
            while (_filled - _start >= FastCdc.MaxSize) Cut(buffer);
        }
    }

    /// <summary>
    /// Ends a PATCH that is not the last and returns the buffer to the pool. Its chunks' flushes go on without it: a
    /// part must be durable only before the blob's rows commit (<see cref="Finish"/> waits for all of them), and a node
    /// that loses this state rewrites every part when it rebuilds it. So the answer does not wait for the disk.
    /// </summary>
    public void End()
    {
        if (_sync is { } sync) _flushing.Add(sync.DrainAsync());
        _sync = null;
        _flushing.RemoveAll(flush => flush.IsCompletedSuccessfully);
        ReturnBuffer();
    }

    /// <summary>After the last byte: cuts what is left, waits for every part to be durable, and gives the content's id, chunks and inspection.</summary>
    public async Task<StreamedContent> Finish()
    {
        var buffer = _buffer ?? throw new InvalidOperationException("Begin a PATCH first.");
        while (_start < _filled) Cut(buffer);
        End();
        // Rethrows a failed flush of any PATCH's parts: then nothing is stored.
        await Task.WhenAll(_flushing);
        var digest = _whole.GetHashAndReset();
        return new StreamedContent(ContentId.FromDigest(digest).ToString(), Fed, _chunks, _inspection is null ? null : new StreamedInspection(_inspection, digest));
    }

    private void Cut(byte[] buffer)
    {
        var length = FastCdc.NextCut(buffer.AsSpan(_start, _filled - _start));
        var bytes = buffer.AsSpan(_start, length);
        var id = ContentId.Of(bytes);
        var file = new FileStream(Path.Combine(_parts, id.Hex), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        try
        {
            file.Write(bytes);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        (_sync ??= new ChunkSync()).Add(file);
        _chunks.Add((id.ToString(), length));
        _start += length;
        CutOffset += length;
    }

    private void ReturnBuffer()
    {
        if (_buffer is null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }

    public void Dispose()
    {
        _sync?.Abandon();
        ReturnBuffer();
        _whole.Dispose();
    }
}

/// <summary>What an upload's stream gave once its last byte arrived: the content id, size and chunks, and the fed inspection.</summary>
public sealed record StreamedContent(string ContentId, long Size, List<(string ChunkId, int Length)> Chunks, StreamedInspection? Inspection);
