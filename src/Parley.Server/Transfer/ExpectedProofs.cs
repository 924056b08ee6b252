using System.Collections.Concurrent;
using Parley.Core.Transfer;

namespace Parley.Server.Transfer;

/// <summary>
/// The answer this node's copy gives to a transfer's ownership challenge, computed while the sender computes theirs
/// (docs/transfer.md, "Proof of ownership"). The announcement starts it and answers at once, so a re-send pays for
/// one proof's reads instead of the server's and then the sender's one after the other, and an announcement takes as
/// long whether or not the content is stored. The proof takes the answer when it arrives; when there is none here
/// (another node of a cluster took the announcement, this node restarted, or the sender took longer than
/// <see cref="Lifetime"/>), it is computed then from the challenge kept in the transfer's row.
/// </summary>
public sealed class ExpectedProofs(ChunkStore store, TimeProvider clock, IHostApplicationLifetime lifetime)
{
    /// <summary>How long an answer waits for its proof; after that the proof computes it again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    // At most one answer per core is computed at once: announcements that are refused nothing cannot queue more
    // reads than a core each, and an answer computed late is only waited for by its own proof.
    private readonly SemaphoreSlim _running = new(Environment.ProcessorCount);

    private sealed record Pending(Task<byte[]?> Answer, DateTimeOffset Started);

    /// <summary>Starts computing what the copy stored as <paramref name="chunks"/> answers to <paramref name="challenge"/>.</summary>
    public void Start(string transferId, OwnershipChallenge challenge, IReadOnlyList<(string ChunkId, int Length)> chunks)
    {
        ForgetUnclaimed();
        _pending[transferId] = new Pending(Task.Run(() => Answer(challenge, chunks, lifetime.ApplicationStopping)), clock.GetUtcNow());
    }

    /// <summary>
    /// The answer <see cref="Start"/> began for this transfer, once it is ready; otherwise <paramref name="computeNow"/>'s.
    /// Null when the copy could not be read (it was collected meanwhile): then no proof matches it.
    /// </summary>
    public async Task<byte[]?> Take(string transferId, Func<Task<byte[]?>> computeNow) =>
        _pending.TryRemove(transferId, out var pending) ? await pending.Answer : await computeNow();

    /// <summary>What the copy stored as <paramref name="chunks"/> answers; null when a chunk file is gone.</summary>
    public async Task<byte[]?> Answer(OwnershipChallenge challenge, IReadOnlyList<(string ChunkId, int Length)> chunks, CancellationToken ct)
    {
        await _running.WaitAsync(ct);
        try
        {
            await using var content = store.OpenBlob(chunks);
            return await challenge.AnswerAsync(content, ct);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or EndOfStreamException)
        {
            return null;
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>Drops answers whose proof never came (the sender gave up), so the map holds only live announcements.</summary>
    private void ForgetUnclaimed()
    {
        var oldest = clock.GetUtcNow() - Lifetime;
        foreach (var (id, pending) in _pending)
            if (pending.Started < oldest) _pending.TryRemove(id, out _);
    }
}
