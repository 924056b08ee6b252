using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Transfer;
using Parley.Server.Hosting;
using Parley.Server.Transfer;

namespace Parley.Server.Tests.Transfer;

/// <summary>The server's answer to a re-send's challenge, computed beside the sender's (docs/transfer.md, "Proof of ownership").</summary>
public sealed class ExpectedProofsTests : IDisposable
{
    private readonly string _media = Directory.CreateTempSubdirectory("parley-proofs-").FullName;
    private readonly FakeTimeProvider _clock = new();
    private readonly ChunkStore _store;
    private readonly ExpectedProofs _proofs;

    public ExpectedProofsTests()
    {
        _store = new ChunkStore(Options.Create(new ParleyOptions { Storage = { MediaDirectory = _media } }));
        _proofs = new ExpectedProofs(_store, _clock, new NotStopping());
    }

    public void Dispose() => Directory.Delete(_media, recursive: true);

    private const string ContentKey = "sha256:the-content";

    /// <summary>Content of 20 MiB (larger than the 16 MiB challenged whole, unless told) stored as three chunks, and its chunk list.</summary>
    private async Task<(byte[] Content, List<(string ChunkId, int Length)> Chunks)> Stored(int mebibytes = 20)
    {
        var content = new byte[mebibytes * 1024 * 1024];
        new Random(7).NextBytes(content);
        var chunks = new List<(string, int)>();
        var third = content.Length / 3;
        foreach (var (start, length) in new[] { (0, third), (third, third + 5), (2 * third + 5, content.Length - 2 * third - 5) })
        {
            var id = ContentId.Of(content.AsSpan(start, length)).ToString();
            await _store.WriteAsync(id, content.AsMemory(start, length), CancellationToken.None);
            chunks.Add((id, length));
        }
        return (content, chunks);
    }

    [Fact]
    public async Task The_proof_takes_the_answer_started_at_the_announcement_and_it_is_the_copys_answer()
    {
        var (content, chunks) = await Stored();
        var challenge = _proofs.Challenge("t_1", ContentKey, content.Length, chunks);

        var answer = await _proofs.Take("t_1", () => throw new InvalidOperationException("The started answer was not taken."));

        Assert.Equal(await challenge.AnswerAsync(new MemoryStream(content)), answer);
        // Taken once: nothing of it stays in memory.
        Assert.True(await TakeComputesNow("t_1"));
    }

    [Fact]
    public async Task An_answer_whose_proof_never_came_is_dropped_after_its_lifetime()
    {
        var (content, chunks) = await Stored();
        _proofs.Challenge("t_gave_up", ContentKey, content.Length, chunks);
        _clock.Advance(ExpectedProofs.Lifetime + TimeSpan.FromSeconds(1));
        _proofs.Challenge("t_next", ContentKey, content.Length, chunks);

        Assert.True(await TakeComputesNow("t_gave_up"));
    }

    [Fact]
    public async Task A_challenge_prepared_when_the_content_was_stored_is_answered_before_its_announcement_and_used_once()
    {
        var (content, chunks) = await Stored();
        await _proofs.Prepare(ContentKey, content.Length, chunks);
        // From now on the copy cannot be read: only an answer computed before can match.
        _store.Delete(chunks[1].ChunkId);

        var prepared = _proofs.Challenge("t_first", ContentKey, content.Length, chunks);
        var answer = await _proofs.Take("t_first", () => throw new InvalidOperationException("The prepared answer was not taken."));
        var next = _proofs.Challenge("t_second", ContentKey, content.Length, chunks);

        Assert.Equal(await prepared.AnswerAsync(new MemoryStream(content)), answer);
        Assert.NotEqual(prepared.Nonce, next.Nonce);
        Assert.Null(await _proofs.Take("t_second", () => throw new InvalidOperationException("The announcement's answer was not taken.")));
    }

    [Fact]
    public async Task Content_a_challenge_covers_whole_gets_its_challenge_at_the_announcement()
    {
        var (content, chunks) = await Stored(mebibytes: 3);
        await _proofs.Prepare(ContentKey, content.Length, chunks);
        _store.Delete(chunks[1].ChunkId);

        _proofs.Challenge("t_small", ContentKey, content.Length, chunks);

        // Nothing was prepared, so the answer is computed from the copy, which is gone now.
        Assert.Null(await _proofs.Take("t_small", () => throw new InvalidOperationException("The announcement's answer was not taken.")));
    }

    /// <summary>True when the proof of <paramref name="transferId"/> finds no answer started for it and must compute one.</summary>
    private async Task<bool> TakeComputesNow(string transferId)
    {
        var computedNow = false;
        await _proofs.Take(transferId, () => { computedNow = true; return Task.FromResult<byte[]?>(null); });
        return computedNow;
    }

    [Fact]
    public async Task A_copy_whose_chunk_file_is_gone_answers_nothing_so_no_proof_matches_it()
    {
        var (content, chunks) = await Stored();
        _store.Delete(chunks[1].ChunkId);

        Assert.Null(await _proofs.Answer(OwnershipChallenge.Create(content.Length), chunks, CancellationToken.None));
    }

    private sealed class NotStopping : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() { }
    }
}
