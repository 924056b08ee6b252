using System.Buffers;
using System.Runtime.ExceptionServices;

namespace Parley.Core.Transfer;

/// <summary>How <see cref="ParallelRead"/> cuts and shares the work; the defaults suit a 2-core device.</summary>
internal sealed record ParallelReadOptions
{
    /// <summary>Bytes per segment (at least <see cref="FastCdc.MaxSize"/>, so that a chunk spans at most two segments).</summary>
    public int SegmentSize { get; init; } = 12 * 1024 * 1024;

    /// <summary>Segments held at once: memory is bounded by this many segment buffers.</summary>
    public int MaxSegments { get; init; } = 4;

    /// <summary>Threads doing the work; the first detection and the manifest promise to use two cores.</summary>
    public int Workers { get; init; } = Math.Clamp(Environment.ProcessorCount, 1, 2);

    /// <summary>Content known to be shorter than this is read on the caller's thread: a second thread would cost more than it saves.</summary>
    public long SequentialBelow { get; init; } = 8 * 1024 * 1024;

    public static readonly ParallelReadOptions Default = new();
}

/// <summary>
/// Reads a stream once into pooled segments and hands each segment, in order, to every <see cref="ReadLane"/> (one
/// running consumer such as SHA-256 of the whole file, FastCDC, the feature matcher), plus jobs a lane posts that need
/// no order (a chunk's SHA-256). Two workers take whatever is ready, the lane furthest behind first, so independent
/// passes over the same bytes run on both cores and a fast lane never waits for a slow one beyond the buffered segments.
/// </summary>
internal sealed class ParallelRead
{
    private readonly object _gate = new();
    private readonly Stream _stream;
    private readonly ReadLane[] _lanes;
    private readonly ParallelReadOptions _options;
    private readonly CancellationToken _ct;
    private readonly List<Segment?> _segments = [];
    private readonly Queue<(Segment Segment, Segment? Also, Action Job)> _jobs = new();
    private int _held;
    private bool _reading;
    private bool _ended;
    private int _running;
    private long _offset;
    private Exception? _failure;

    private ParallelRead(Stream stream, ReadLane[] lanes, ParallelReadOptions options, CancellationToken ct)
    {
        _stream = stream;
        _lanes = lanes;
        _options = options;
        if (options.SegmentSize < FastCdc.MaxSize || options.MaxSegments < 2) throw new ArgumentOutOfRangeException(nameof(options));
        _ct = ct;
    }

    /// <summary>Reads <paramref name="stream"/> from its position to its end through every lane; returns once all are done.</summary>
    public static async Task RunAsync(Stream stream, IReadOnlyList<ReadLane> lanes, CancellationToken ct, ParallelReadOptions? options = null)
    {
        options ??= ParallelReadOptions.Default;
        var read = new ParallelRead(stream, [.. lanes], options, ct);
        var small = stream.CanSeek && stream.Length - stream.Position < options.SequentialBelow;
        try
        {
            if (small || options.Workers == 1) read.Work();
            else
                await Task.WhenAll(Enumerable.Range(0, options.Workers).Select(_ =>
                    Task.Factory.StartNew(read.Work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
        }
        finally
        {
            foreach (var segment in read._segments) if (segment is not null) ArrayPool<byte>.Shared.Return(segment.Buffer);
        }
        if (read._failure is not null) ExceptionDispatchInfo.Throw(read._failure);
    }

    /// <summary>Queues <paramref name="job"/> on bytes of <paramref name="segment"/> (and of <paramref name="also"/>, the next one), held until the job ran.</summary>
    public void Post(Action job, Segment segment, Segment? also = null)
    {
        lock (_gate)
        {
            segment.References++;
            if (also is not null) also.References++;
            _jobs.Enqueue((segment, also, job));
            Monitor.PulseAll(_gate);
        }
    }

    private void Work()
    {
        while (true)
        {
            Step step;
            lock (_gate)
            {
                while (true)
                {
                    if (_failure is null && _ct.IsCancellationRequested) _failure = new OperationCanceledException(_ct);
                    if (_failure is not null || Finished) { Monitor.PulseAll(_gate); return; }
                    if (Pick() is { } picked) { step = picked; break; }
                    Monitor.Wait(_gate);
                }
                _running++;
            }
            try
            {
                var read = step.Kind == StepKind.Read ? ReadSegment() : (Buffer: null, Length: 0);
                if (step.Kind == StepKind.Lane) step.Lane!.Consume(step.Segment!, this);
                if (step.Kind == StepKind.Job) step.Job!();
                lock (_gate)
                {
                    _running--;
                    Complete(step, read.Buffer, read.Length);
                    Monitor.PulseAll(_gate);
                }
            }
            catch (Exception e)
            {
                lock (_gate)
                {
                    _running--;
                    _failure ??= e;
                    Monitor.PulseAll(_gate);
                }
                return;
            }
        }
    }

    private bool Finished => _ended && !_reading && _running == 0 && _jobs.Count == 0 && _lanes.All(l => l.Next == _segments.Count);

    private Step? Pick()
    {
        if (!_reading && !_ended && _held < _options.MaxSegments)
        {
            _reading = true;
            _held++;
            return new Step(StepKind.Read, _segments.Count > 0 ? _segments[^1] : null, null, null);
        }
        ReadLane? behind = null;
        foreach (var lane in _lanes)
            if (!lane.Busy && lane.Next < _segments.Count && (!lane.NeedsNext || _segments[lane.Next]!.NextKnown) && (behind is null || lane.Next < behind.Next))
                behind = lane;
        if (behind is not null)
        {
            behind.Busy = true;
            return new Step(StepKind.Lane, _segments[behind.Next], behind, null);
        }
        if (_jobs.TryDequeue(out var job)) return new Step(StepKind.Job, job.Segment, null, job.Job) { Also = job.Also };
        return null;
    }

    /// <summary>Fills a fresh segment (bytes are never copied between segments: a chunk across two is cut and hashed in two pieces).</summary>
    private (byte[] Buffer, int Length) ReadSegment()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_options.SegmentSize);
        var length = 0;
        int read;
        while (length < _options.SegmentSize && (read = _stream.Read(buffer, length, _options.SegmentSize - length)) > 0) length += read;
        return (buffer, length);
    }

    private void Complete(Step step, byte[]? buffer, int length)
    {
        switch (step.Kind)
        {
            case StepKind.Read:
                _reading = false;
                if (step.Segment is { } previous) previous.NextKnown = true;
                if (length == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer!);
                    _held--;
                    _ended = true;
                    return;
                }
                // A short segment is the last one: the stream gave all it had.
                var last = length < _options.SegmentSize;
                var segment = new Segment(_segments.Count, _offset, buffer!, length) { References = _lanes.Length, NextKnown = last };
                if (step.Segment is { } before) before.Next = segment;
                _segments.Add(segment);
                _offset += length;
                _ended = last;
                break;
            case StepKind.Lane:
                step.Lane!.Busy = false;
                step.Lane.Next++;
                Release(step.Segment!);
                break;
            default:
                Release(step.Segment!);
                if (step.Also is { } also) Release(also);
                break;
        }
    }

    private void Release(Segment segment)
    {
        if (--segment.References > 0) return;
        _segments[segment.Index] = null;
        _held--;
        ArrayPool<byte>.Shared.Return(segment.Buffer);
    }

    private enum StepKind { Read, Lane, Job }

    private sealed record Step(StepKind Kind, Segment? Segment, ReadLane? Lane, Action? Job)
    {
        /// <summary>A job's second segment: the one its bytes run on into.</summary>
        public Segment? Also { get; init; }
    }
}

/// <summary>A run of the stream held by <see cref="ParallelRead"/>: <see cref="Length"/> bytes from <see cref="Offset"/>.</summary>
internal sealed class Segment(int index, long offset, byte[] buffer, int length)
{
    public int Index { get; } = index;
    public long Offset { get; } = offset;
    public byte[] Buffer { get; } = buffer;
    public int Length { get; } = length;

    /// <summary>The segment after this one, once read (null at the end of the stream); see <see cref="NextKnown"/>.</summary>
    public Segment? Next { get; set; }

    /// <summary>True once the next segment was read, or this is the last one.</summary>
    public bool NextKnown { get; set; }

    /// <summary>Lanes yet to see it and posted jobs yet to run; at 0 the buffer goes back to the pool.</summary>
    public int References { get; set; }

    public ReadOnlySpan<byte> Bytes => Buffer.AsSpan(0, Length);
}

/// <summary>One consumer of a <see cref="ParallelRead"/>: sees every segment once, in order, never two at a time (though not always on the same thread).</summary>
internal abstract class ReadLane
{
    /// <summary>True when <see cref="Consume"/> also reads <see cref="Segment.Next"/> (held until this lane has seen it too).</summary>
    public virtual bool NeedsNext => false;

    public abstract void Consume(Segment segment, ParallelRead read);

    internal int Next { get; set; }
    internal bool Busy { get; set; }
}
