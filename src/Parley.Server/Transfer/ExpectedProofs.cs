using System.Collections.Concurrent;
using Parley.Core.Transfer;

namespace Parley.Server.Transfer;

/// <summary>
/// The answer this node's copy gives to a transfer's ownership challenge (docs/transfer.md, "Proof of ownership"), ready
/// or under way before the sender's proof arrives, so a re-send does not wait for the server's reads after its own.
/// </summary>
/// <remarks>
/// <para>
/// Content larger than what a challenge covers whole has a challenge <b>prepared</b> on this node once it is stored, and
/// again each time an announcement takes the prepared one (content sent again is likely to be sent again): a fresh
/// nonce from the CSPRNG and this copy's answer, computed in the background (4,096 block reads, whatever the size). The
/// next announcement of that content takes it, so its answer is ready before the sender starts theirs. A prepared
/// challenge is used once, and no one learns its nonce before the announcement that takes it, so it is as fresh as one
/// drawn then. Smaller content, or content with nothing prepared here (after a restart, or when this node did not store
/// it), gets a fresh challenge at the announcement, whose answer is computed while the sender computes theirs.
/// </para>
/// <para>
/// The proof takes the answer; when there is none here (another node of a cluster took the announcement, this node
/// restarted, or the sender took longer than <see cref="Lifetime"/>), it is computed then from the challenge kept in the
/// transfer's row. Either way an announcement answers at once, as long whether or not the content is stored.
/// </para>
/// </remarks>
public sealed class ExpectedProofs(ChunkStore store, TimeProvider clock, IHostApplicationLifetime lifetime)
{
    /// <summary>How long an answer waits for its proof; after that the proof computes it again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);

    /// <summary>At most this many contents have a challenge prepared (about 100 bytes each); beyond it the oldest goes.</summary>
    public const int MaxPrepared = 4096;

    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Prepared> _prepared = new(StringComparer.Ordinal);

    // At most one answer per core is computed at once: announcements that are refused nothing cannot queue more
    // reads than a core each, and an answer computed late is only waited for by its own proof.
    private readonly SemaphoreSlim _running = new(Environment.ProcessorCount);

    private sealed record Pending(Task<byte[]?> Answer, DateTimeOffset Started);

    private sealed record Prepared(OwnershipChallenge Challenge, byte[] Answer, DateTimeOffset At);

    /// <summary>
    /// The challenge for an announcement of content this node stores as <paramref name="chunks"/>, with the copy's answer
    /// ready (a prepared challenge) or started now (a fresh one); the proof of <paramref name="transferId"/> takes it.
    /// </summary>
    public OwnershipChallenge Challenge(string transferId, string contentId, long size, IReadOnlyList<(string ChunkId, int Length)> chunks)
    {
        ForgetUnclaimed();
        OwnershipChallenge challenge;
        Task<byte[]?> answer;
        if (_prepared.TryRemove(contentId, out var prepared) && prepared.Challenge.Size == size)
            (challenge, answer) = (prepared.Challenge, Task.FromResult<byte[]?>(prepared.Answer));
        else
        {
            challenge = OwnershipChallenge.Create(size);
            answer = Task.Run(() => Answer(challenge, chunks, lifetime.ApplicationStopping));
        }
        _pending[transferId] = new Pending(answer, clock.GetUtcNow());
        _ = Prepare(contentId, size, chunks);
        return challenge;
    }

    /// <summary>
    /// Prepares the next announcement's challenge for content just stored or just announced, on a pool thread (see the
    /// remarks); nothing for content a challenge covers whole, whose answer costs no more than one read of it. A
    /// preparation that cannot read the copy (collected meanwhile) or is stopped leaves nothing prepared.
    /// </summary>
    public Task Prepare(string contentId, long size, IReadOnlyList<(string ChunkId, int Length)> chunks) => Task.Run(async () =>
    {
        var challenge = OwnershipChallenge.Create(size);
        if (challenge.CoversWholeContent) return;
        try
        {
            if (await Answer(challenge, chunks, lifetime.ApplicationStopping) is not { } answer) return;
            if (_prepared.Count >= MaxPrepared && _prepared.MinBy(p => p.Value.At) is { Key: { } oldest }) _prepared.TryRemove(oldest, out _);
            _prepared[contentId] = new Prepared(challenge, answer, clock.GetUtcNow());
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Nothing prepared: the next announcement draws a fresh challenge.
        }
    });

    /// <summary>
    /// The answer <see cref="Challenge"/> readied or began for this transfer, once it is ready; otherwise <paramref name="computeNow"/>'s.
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
