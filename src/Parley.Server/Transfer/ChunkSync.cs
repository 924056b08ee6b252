using System.Collections.Concurrent;

namespace Parley.Server.Transfer;

/// <summary>
/// Makes written chunk files durable (fsync) on a thread of its own while the upload goes on, so the disk's flush
/// overlaps the network instead of following the last byte. A chunk file must be on disk before the row that refers
/// to it commits (docs/transfer.md, "Durability"); <see cref="DrainAsync"/> is that wait. One dedicated thread, not
/// the thread pool: an fsync blocks for as long as the disk takes, and the pool serves the requests.
/// </summary>
public sealed class ChunkSync
{
    private readonly BlockingCollection<FileStream> _pending = new(boundedCapacity: 64);
    private readonly Task _worker;

    public ChunkSync() =>
        _worker = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Takes ownership of a written file: it is flushed to disk and closed.</summary>
    public void Add(FileStream written) => _pending.Add(written);

    /// <summary>Completes when every file added so far is on disk; rethrows a failed flush.</summary>
    public async Task DrainAsync()
    {
        _pending.CompleteAdding();
        await _worker;
    }

    /// <summary>Lets the worker close what is queued and end, without waiting for it (the upload is being given up).</summary>
    public void Abandon() => _pending.CompleteAdding();

    private void Run()
    {
        Exception? failure = null;
        foreach (var file in _pending.GetConsumingEnumerable())
        {
            using (file)
            {
                try
                {
                    if (failure is null) file.Flush(flushToDisk: true);
                }
                catch (IOException e)
                {
                    failure = e;
                }
            }
        }
        if (failure is not null) throw failure;
    }
}
