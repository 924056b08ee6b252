using System.Security.Cryptography;
using Parley.Core.Transfer;

namespace Parley.Core.Tests.Transfer;

public sealed class OwnershipChallengeTests
{
    /// <summary>
    /// The protocol vector of docs/transfer.md: nonce = bytes 0x00…0x1f, content = 100,000 bytes where
    /// byte i is i mod 251; any client must compute this proof.
    /// </summary>
    [Fact]
    public async Task The_proof_matches_the_protocol_vector()
    {
        var nonce = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var content = Enumerable.Range(0, 100_000).Select(i => (byte)(i % 251)).ToArray();

        var proof = await new OwnershipChallenge(nonce).AnswerAsync(new MemoryStream(content));

        Assert.Equal("DU/xZqUNplS9kWre9CNW2k0qBm9RVNLVaaTk02evtx0=", Convert.ToBase64String(proof));
    }

    [Fact]
    public async Task The_holder_of_the_bytes_answers_correctly()
    {
        var data = RandomNumberGenerator.GetBytes(1024 * 1024);
        var challenge = OwnershipChallenge.Create();

        var expected = await challenge.AnswerAsync(new MemoryStream(data));
        var answer = await challenge.AnswerAsync(new MemoryStream((byte[])data.Clone()));

        Assert.True(OwnershipChallenge.Matches(expected, answer));
    }

    /// <summary>Every byte counts: holding all of the content but one byte is not enough.</summary>
    [Fact]
    public async Task Someone_missing_one_byte_of_the_content_fails()
    {
        var data = RandomNumberGenerator.GetBytes(1024 * 1024);
        var challenge = OwnershipChallenge.Create();
        var almost = (byte[])data.Clone();
        almost[RandomNumberGenerator.GetInt32(almost.Length)] ^= 1;

        var expected = await challenge.AnswerAsync(new MemoryStream(data));
        var guess = await challenge.AnswerAsync(new MemoryStream(almost));

        Assert.False(OwnershipChallenge.Matches(expected, guess));
    }

    [Fact]
    public async Task An_old_answer_does_not_answer_a_new_challenge()
    {
        var data = RandomNumberGenerator.GetBytes(200_000);
        var first = OwnershipChallenge.Create();
        var second = OwnershipChallenge.Create();

        var expected = await second.AnswerAsync(new MemoryStream(data));
        var replayed = await first.AnswerAsync(new MemoryStream(data));

        Assert.False(OwnershipChallenge.Matches(expected, replayed));
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
