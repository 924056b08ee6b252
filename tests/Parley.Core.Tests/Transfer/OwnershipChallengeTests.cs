using System.Security.Cryptography;
using Parley.Core.Transfer;

namespace Parley.Core.Tests.Transfer;

public sealed class OwnershipChallengeTests
{
    [Fact]
    public async Task The_holder_of_the_bytes_answers_correctly()
    {
        var data = RandomNumberGenerator.GetBytes(1024 * 1024);
        var challenge = OwnershipChallenge.Create(data.Length);

        var expected = await challenge.AnswerAsync(new MemoryStream(data));
        var answer = await challenge.AnswerAsync(new MemoryStream((byte[])data.Clone()));

        Assert.True(OwnershipChallenge.Matches(expected, answer));
        Assert.Equal(OwnershipChallenge.RangeCount, challenge.Ranges.Count);
        Assert.All(challenge.Ranges, r => Assert.InRange(r.Offset + r.Length, 0, data.Length));
    }

    [Fact]
    public async Task Someone_with_a_different_file_of_the_same_size_fails()
    {
        var data = RandomNumberGenerator.GetBytes(1024 * 1024);
        var challenge = OwnershipChallenge.Create(data.Length);

        var expected = await challenge.AnswerAsync(new MemoryStream(data));
        var guess = await challenge.AnswerAsync(new MemoryStream(new byte[data.Length]));

        Assert.False(OwnershipChallenge.Matches(expected, guess));
    }

    [Fact]
    public async Task An_old_answer_does_not_answer_a_new_challenge()
    {
        var data = RandomNumberGenerator.GetBytes(200_000);
        var first = OwnershipChallenge.Create(data.Length);
        var second = OwnershipChallenge.Create(data.Length);

        var expected = await second.AnswerAsync(new MemoryStream(data));
        var replayed = await first.AnswerAsync(new MemoryStream(data));

        Assert.False(OwnershipChallenge.Matches(expected, replayed));
    }

    [Fact]
    public async Task Files_smaller_than_a_range_are_challenged_whole()
    {
        var data = RandomNumberGenerator.GetBytes(100);
        var challenge = OwnershipChallenge.Create(data.Length);

        Assert.All(challenge.Ranges, r => Assert.Equal(new ByteRange(0, 100), r));
        Assert.Equal(32, (await challenge.AnswerAsync(new MemoryStream(data))).Length);
    }

    [Fact]
    public async Task Ranges_outside_the_content_are_refused()
    {
        var hostile = new OwnershipChallenge(new byte[32], [new ByteRange(90, 20)]);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => hostile.AnswerAsync(new MemoryStream(new byte[100])));
    }
}
