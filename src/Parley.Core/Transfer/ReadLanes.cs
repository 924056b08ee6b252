using System.Security.Cryptography;

namespace Parley.Core.Transfer;

/// <summary>SHA-256 of everything read: the content id.</summary>
internal sealed class HashLane(IProgress<long>? progress = null) : ReadLane
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    public long Size { get; private set; }

    public override void Consume(Segment segment, ParallelRead read)
    {
        _hash.AppendData(segment.Bytes);
        Size += segment.Length;
        progress?.Report(Size);
    }

    /// <summary>The digest, once the read is over.</summary>
    public byte[] Finish()
    {
        using (_hash) return _hash.GetHashAndReset();
    }
}

/// <summary>
/// FastCDC over the stream, the cut points found in order; each chunk's SHA-256 is posted as a job, so that either core
/// hashes it while this lane cuts further ahead. The cuts are those of a one-thread read: every chunk is cut with a full
/// <see cref="FastCdc.MaxSize"/> (or everything to the end) in view, a chunk that runs into the next segment in two
/// pieces (a segment is at least that long, so a chunk never spans three).
/// </summary>
internal sealed class ChunkLane : ReadLane
{
    private readonly List<Chunk> _chunks = [];
    private long _next;

    public override bool NeedsNext => true;

    public override void Consume(Segment segment, ParallelRead read)
    {
        var next = segment.Next;
        while (_next < segment.Offset + segment.Length)
        {
            var at = (int)(_next - segment.Offset);
            var chunk = new Chunk(_next, FastCdc.NextCut(segment.Bytes[at..], next is null ? [] : next.Bytes));
            _chunks.Add(chunk);
            var here = Math.Min(chunk.Length, segment.Length - at);
            if (here == chunk.Length) read.Post(() => chunk.Id = ContentId.Of(segment.Buffer.AsSpan(at, here)), segment);
            else read.Post(() => chunk.Id = ContentId.Of(segment.Buffer.AsSpan(at, here), next!.Buffer.AsSpan(0, chunk.Length - here)), segment, next);
            _next += chunk.Length;
        }
    }

    /// <summary>The chunks in order, once the read is over.</summary>
    public IReadOnlyList<ChunkRef> Chunks => [.. _chunks.Select(c => new ChunkRef(c.Id, c.Offset, c.Length))];

    private sealed class Chunk(long offset, int length)
    {
        public long Offset { get; } = offset;
        public int Length { get; } = length;
        public ContentId Id { get; set; }
    }
}

internal delegate void BytesConsumer(ReadOnlySpan<byte> bytes);

/// <summary>Feeds every segment, in order, to a streaming consumer (a feature match session, an embedded-content search).</summary>
internal sealed class FeedLane(BytesConsumer feed) : ReadLane
{
    public override void Consume(Segment segment, ParallelRead read) => feed(segment.Bytes);
}
