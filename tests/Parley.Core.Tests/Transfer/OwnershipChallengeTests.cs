using System.Security.Cryptography;
using Parley.Core.Transfer;

namespace Parley.Core.Tests.Transfer;

public sealed class OwnershipChallengeTests
{
    private static readonly byte[] VectorNonce = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] VectorContent = Enumerable.Range(0, 100_000).Select(i => (byte)(i % 251)).ToArray();

    /// <summary>
    /// The protocol vectors of docs/transfer.md (computed with Python's hmac and hashlib): nonce = bytes 0x00…0x1f,
    /// content = 100,000 bytes where byte i is i mod 251. With the default blocks it is challenged whole; with 8 blocks
    /// of 1,000 bytes the draw is blocks 2, 33, 40, 40 (drawn twice), 41, 43, 66, 90; of 999 bytes it ends on the short
    /// last block (100).
    /// </summary>
    [Theory]
    [InlineData(OwnershipChallenge.DefaultBlockLength, OwnershipChallenge.DefaultBlocks, "DU/xZqUNplS9kWre9CNW2k0qBm9RVNLVaaTk02evtx0=", null)]
    [InlineData(1000, 8, "Tyg6W+tJ72I+j1Ql5qH8eXh621bOoXIP8N4+u8Irf9s=", "2,33,40,40,41,43,66,90")]
    [InlineData(999, 8, "ZpqNpQylKS+eJ3FK2JlH0IGq7Aw7CBsk+K4pht6SrZY=", "37,40,52,68,77,93,97,100")]
    public async Task The_proof_matches_the_protocol_vectors(int blockLength, int blocks, string expected, string? drawn)
    {
        var challenge = new OwnershipChallenge(VectorNonce, VectorContent.Length, blockLength, blocks);

        var proof = await challenge.AnswerAsync(new MemoryStream(VectorContent));
        using var sequential = challenge.StartSequential();
        for (var at = 0; at < VectorContent.Length; at += 777) sequential.Append(VectorContent.AsSpan(at, Math.Min(777, VectorContent.Length - at)));

        Assert.Equal(expected, Convert.ToBase64String(proof));
        Assert.Equal(expected, Convert.ToBase64String(sequential.Finish()));
        if (drawn is not null) Assert.Equal(drawn, string.Join(',', challenge.ChallengedBlocks()));
        Assert.Equal(drawn is null, challenge.CoversWholeContent);
    }

    [Fact]
    public async Task The_holder_of_the_bytes_answers_correctly_reading_only_the_challenged_blocks()
    {
        var data = RandomNumberGenerator.GetBytes(64 * 1024 * 1024 + 123);
        var challenge = OwnershipChallenge.Create(data.Length);
        var stored = new ObservedReadStream(new MemoryStream(data));

        var expected = await challenge.AnswerAsync(stored);
        var answer = await challenge.AnswerAsync(new MemoryStream((byte[])data.Clone()));

        Assert.True(OwnershipChallenge.Matches(expected, answer));
        Assert.False(challenge.CoversWholeContent);
        Assert.True(stored.BytesRead <= (long)OwnershipChallenge.DefaultBlocks * OwnershipChallenge.DefaultBlockLength, $"{stored.BytesRead} bytes read");
    }

    /// <summary>A file is read with positioned reads on its handle: the same answer as any stream's, and a short file is refused.</summary>
    [Fact]
    public async Task A_file_gives_the_same_answer_and_a_truncated_one_does_not_answer()
    {
        var data = RandomNumberGenerator.GetBytes(40 * 1024 * 1024 + 1001);
        var challenge = OwnershipChallenge.Create(data.Length);
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, data);
            await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 0, FileOptions.Asynchronous);

            var fromFile = await challenge.AnswerAsync(file);
            using var sequential = challenge.StartSequential();
            sequential.Append(data);

            Assert.Equal(await challenge.AnswerAsync(new MemoryStream(data)), fromFile);
            Assert.Equal(sequential.Finish(), fromFile);
            // Cut short at its last challenged block: that read ends early.
            var last = challenge.ChallengedBlocks()[^1];
            await using var truncated = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            truncated.SetLength(last * challenge.BlockLength + 1);
            await Assert.ThrowsAsync<EndOfStreamException>(() => challenge.AnswerAsync(file));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Small content is challenged whole: holding all of it but one byte is not enough.</summary>
    [Fact]
    public async Task Someone_missing_one_byte_of_small_content_fails()
    {
        var data = RandomNumberGenerator.GetBytes(1024 * 1024);
        var challenge = OwnershipChallenge.Create(data.Length);
        var almost = (byte[])data.Clone();
        almost[RandomNumberGenerator.GetInt32(almost.Length)] ^= 1;

        var expected = await challenge.AnswerAsync(new MemoryStream(data));
        var guess = await challenge.AnswerAsync(new MemoryStream(almost));

        Assert.True(challenge.CoversWholeContent);
        Assert.False(OwnershipChallenge.Matches(expected, guess));
    }

    /// <summary>
    /// Large content: a holder of half of it (the rest replaced) passes with probability 2^-64 here (64 blocks drawn),
    /// whichever half, and whatever the nonce.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Someone_holding_half_of_large_content_fails(bool holdsFirstHalf)
    {
        var data = RandomNumberGenerator.GetBytes(1024 * 1024);
        var partial = (byte[])data.Clone();
        Array.Clear(partial, holdsFirstHalf ? data.Length / 2 : 0, data.Length / 2);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var challenge = new OwnershipChallenge(RandomNumberGenerator.GetBytes(32), data.Length, 1024, 64);
            var expected = await challenge.AnswerAsync(new MemoryStream(data));
            var guess = await challenge.AnswerAsync(new MemoryStream(partial));
            Assert.False(OwnershipChallenge.Matches(expected, guess));
        }
    }

    [Fact]
    public async Task An_answer_for_other_blocks_or_an_old_nonce_does_not_answer_the_challenge()
    {
        var data = RandomNumberGenerator.GetBytes(200_000);
        var first = new OwnershipChallenge(RandomNumberGenerator.GetBytes(32), data.Length, 1000, 16);
        var second = first with { Nonce = RandomNumberGenerator.GetBytes(32) };
        var otherBlocks = first with { BlockLength = 1001 };

        var expected = await first.AnswerAsync(new MemoryStream(data));

        var replayed = await second.AnswerAsync(new MemoryStream(data));
        var otherAnswer = await otherBlocks.AnswerAsync(new MemoryStream(data));
        Assert.False(OwnershipChallenge.Matches(expected, replayed));
        Assert.False(OwnershipChallenge.Matches(expected, otherAnswer));
        Assert.NotEqual(first.ChallengedBlocks(), second.ChallengedBlocks());
    }

    [Fact]
    public void A_challenge_round_trips_its_dto_and_malformed_ones_are_refused()
    {
        var challenge = OwnershipChallenge.Create(10_000_000);
        var dto = challenge.ToDto();

        Assert.Equal(challenge.ChallengedBlocks(), OwnershipChallenge.FromDto(dto, 10_000_000)!.ChallengedBlocks());
        Assert.Null(OwnershipChallenge.FromDto(dto with { Nonce = "AAAA" }, 1));
        Assert.Null(OwnershipChallenge.FromDto(dto with { BlockLength = 0 }, 1));
        Assert.Null(OwnershipChallenge.FromDto(dto with { Blocks = OwnershipChallenge.MaxBlocks + 1 }, 1));
        Assert.Null(OwnershipChallenge.FromDto(null, 1));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    [InlineData("DU/xZqUNplS9kWre9CNW2k0qBm9RVNLVaaTk02evtx0=AAAA")]
    public void Proofs_that_are_not_32_bytes_of_base64_are_refused(string? proof) =>
        Assert.False(OwnershipChallenge.TryDecodeProof(proof, out _));
}
