using System.Security.Cryptography;

namespace Parley.Core.Transfer;

/// <summary>One content-defined chunk of a blob: its own content id, where it starts, how long it is.</summary>
public sealed record ChunkRef(ContentId Id, long Offset, int Length);

/// <summary>A blob's content id and size, and the chunks it is cut into (see <see cref="FastCdc"/>).</summary>
public sealed record ContentManifest(ContentId Id, long Size, IReadOnlyList<ChunkRef> Chunks);

/// <summary>
/// Reads content once, as a stream, and computes both its content id and its chunk manifest:
/// memory use is bounded whatever the file size.
/// </summary>
public static class ContentScanner
{
    /// <summary>
    /// The content id and manifest on two cores (docs/transfer.md, "Hashing"): the whole-file SHA-256, the FastCDC cuts
    /// and the chunks' SHA-256 share both; the ids are those of the one-thread read. The stream is read synchronously
    /// (meant for files); memory: at most four pooled 12 MiB segments.
    /// </summary>
    public static Task<ContentManifest> ScanAsync(Stream content, IProgress<long>? progress = null, CancellationToken ct = default) =>
        ScanInParallelAsync(content, progress, ct, options: null);

    internal static async Task<ContentManifest> ScanInParallelAsync(Stream content, IProgress<long>? progress, CancellationToken ct, ParallelReadOptions? options)
    {
        var whole = new HashLane(progress);
        var chunks = new ChunkLane();
        await ParallelRead.RunAsync(content, [whole, chunks], ct, options);
        return new ContentManifest(ContentId.FromDigest(whole.Finish()), whole.Size, chunks.Chunks);
    }

    /// <summary>One thread, in order: each chunk is handed to <paramref name="onChunk"/> once cut and hashed.</summary>
    /// <param name="onChunk">Sees each chunk's bytes (valid only during the call), e.g. to store it; null for the one-thread manifest alone.</param>
    public static async Task<ContentManifest> ScanAsync(
        Stream content, Func<ChunkRef, ReadOnlyMemory<byte>, CancellationToken, ValueTask>? onChunk, IProgress<long>? progress, CancellationToken ct)
    {
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunks = new List<ChunkRef>();
        var buffer = new byte[2 * FastCdc.MaxSize];
        int start = 0, filled = 0;
        long consumed = 0;
        var atEnd = false;
        while (true)
        {
            while (!atEnd && filled < buffer.Length)
            {
                var read = await content.ReadAsync(buffer.AsMemory(filled), ct);
                if (read == 0) atEnd = true;
                filled += read;
            }
            // Cut only where a full maximum chunk is visible (or the end is): the same cut a reader with
            // any other buffer size would make.
            while (filled - start >= FastCdc.MaxSize || atEnd && start < filled)
            {
                var length = FastCdc.NextCut(buffer.AsSpan(start, filled - start));
                var bytes = buffer.AsMemory(start, length);
                whole.AppendData(bytes.Span);
                var chunk = new ChunkRef(ContentId.Of(bytes.Span), consumed, length);
                chunks.Add(chunk);
                if (onChunk is not null) await onChunk(chunk, bytes, ct);
                consumed += length;
                start += length;
                progress?.Report(consumed);
            }
            if (atEnd) break;
            buffer.AsSpan(start, filled - start).CopyTo(buffer);
            filled -= start;
            start = 0;
        }
        return new ContentManifest(ContentId.FromDigest(whole.GetHashAndReset()), consumed, chunks);
    }

    /// <summary>Only the content id and size: one SHA-256 pass, no chunking.</summary>
    public static async Task<(ContentId Id, long Size)> HashAsync(Stream content, CancellationToken ct = default)
    {
        using var whole = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1024 * 1024];
        long size = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0)
        {
            whole.AppendData(buffer, 0, read);
            size += read;
        }
        return (ContentId.FromDigest(whole.GetHashAndReset()), size);
    }
}
