using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Parley.Server.Transfer;

/// <summary>One consumer of an upload's bytes, fed every piece in order (the content id's SHA-256, the chunk cutting, the inspection).</summary>
public delegate void ByteLane(ReadOnlySpan<byte> bytes);

/// <summary>
/// Runs the consumers of a PATCH's bytes beside its receive loop, each on a task of its own, so that the request thread
/// only receives and writes while the hashing, cutting and inspection take the other core. Each piece is a pooled buffer
/// shared by every lane and returned to the pool by the last one; a lane's queue holds at most <see cref="Depth"/>
/// pieces, so a slow lane holds the receive back instead of buffering the upload (memory per PATCH: about
/// (<see cref="Depth"/> + 2) pieces).
/// </summary>
public sealed class UploadLanes
{
    /// <summary>Pieces a lane may fall behind the receive.</summary>
    public const int Depth = 16;

    private readonly Channel<Piece>[] _queues;
    private readonly Task[] _workers;
    private Exception? _failure;

    public UploadLanes(IReadOnlyList<ByteLane> lanes)
    {
        _queues = [.. lanes.Select(_ => Channel.CreateBounded<Piece>(new BoundedChannelOptions(Depth) { SingleReader = true, SingleWriter = true }))];
        _workers = [.. lanes.Select((lane, i) => Task.Run(() => Consume(lane, _queues[i].Reader)))];
    }

    /// <summary>Hands <paramref name="rented"/> (from <see cref="ArrayPool{T}.Shared"/>) to every lane; the lanes return it.</summary>
    public async ValueTask PostAsync(byte[] rented, int length)
    {
        var piece = new Piece(rented, length, _queues.Length);
        foreach (var queue in _queues) await queue.Writer.WriteAsync(piece);
    }

    /// <summary>Completes when every lane consumed every piece; rethrows the first lane's failure.</summary>
    public async Task CompleteAsync()
    {
        foreach (var queue in _queues) queue.Writer.TryComplete();
        await Task.WhenAll(_workers);
        if (_failure is not null) ExceptionDispatchInfo.Throw(_failure);
    }

    private async Task Consume(ByteLane lane, ChannelReader<Piece> queue)
    {
        await foreach (var piece in queue.ReadAllAsync())
        {
            try
            {
                // After a failure the lane only drains: the receive must not wait on a queue nobody reads.
                if (Volatile.Read(ref _failure) is null) lane(piece.Bytes);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            finally
            {
                piece.Release();
            }
        }
    }

    private sealed class Piece(byte[] buffer, int length, int users)
    {
        private int _users = users;

        public ReadOnlySpan<byte> Bytes => buffer.AsSpan(0, length);

        public void Release()
        {
            if (Interlocked.Decrement(ref _users) == 0) ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
