using System.Net;
using System.Security.Cryptography;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Transfer;

/// <summary>
/// Proofs over challenged blocks (docs/transfer.md, "Proof of ownership") against content large enough to be sampled
/// rather than challenged whole: only the holder of the content gets a dedup hit.
/// </summary>
public sealed class BlockProofAttackTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;

    [Fact]
    public async Task Only_the_holder_of_sampled_content_gets_a_hit()
    {
        var (alice, bob, mallory) = (await _api.NewUser("alice"), await _api.NewUser("bob"), await _api.NewUser("mallory"));
        var content = RandomPicture(20 * 1024 * 1024);
        Assert.Equal(TransferState.Delivered, (await Send(alice, content, room: (await _api.NewRoom(alice)).Id)).State);
        var (bobRoom, malloryRoom) = (await _api.NewRoom(bob), await _api.NewRoom(mallory));

        // The holder: delivered at once, and the proof is one over sampled blocks.
        var hit = await Create(bob, Announce(content, room: bobRoom.Id));
        Assert.False(OwnershipChallenge.FromDto(hit.Challenge, hit.Size)!.CoversWholeContent);
        var honest = await Proof(hit, content);
        var delivered = await Api.Read<TransferDto>(await Prove(bob, hit, honest));
        Assert.Equal((TransferState.Delivered, DedupTier.Local), (delivered.State, delivered.Dedup));

        // The same proof replayed on another transfer of the same content.
        await AssertNoHit(bob, bobRoom.Id, content, _ => Task.FromResult(honest));
        // A wrong proof.
        await AssertNoHit(mallory, malloryRoom.Id, content, _ => Task.FromResult(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        // A proof over other blocks: the right bytes, the wrong draw (another nonce, another block length).
        await AssertNoHit(bob, bobRoom.Id, content, async t => Convert.ToBase64String(
            await (OwnershipChallenge.FromDto(t.Challenge, t.Size)! with { Nonce = RandomNumberGenerator.GetBytes(32) }).AnswerAsync(new MemoryStream(content))));
        await AssertNoHit(bob, bobRoom.Id, content, async t => Convert.ToBase64String(
            await (OwnershipChallenge.FromDto(t.Challenge, t.Size)! with { BlockLength = 8192 }).AnswerAsync(new MemoryStream(content))));
        // Someone holding the first half of the file (the rest zeros) or the second half.
        var firstHalf = (byte[])content.Clone();
        Array.Clear(firstHalf, content.Length / 2, content.Length - content.Length / 2);
        await AssertNoHit(mallory, malloryRoom.Id, content, t => Proof(t, firstHalf));
        var secondHalf = (byte[])content.Clone();
        Array.Clear(secondHalf, 0, content.Length / 2);
        await AssertNoHit(mallory, malloryRoom.Id, content, t => Proof(t, secondHalf));
    }

    [Fact]
    public async Task A_proof_for_someone_elses_transfer_is_not_found()
    {
        var (alice, mallory) = (await _api.NewUser("alice"), await _api.NewUser("mallory"));
        var content = RandomPicture(300 * 1024);
        var announced = await Create(alice, Announce(content, room: (await _api.NewRoom(alice)).Id));

        await Api.AssertProblem(await Prove(mallory, announced, await Proof(announced, content)), HttpStatusCode.NotFound, ProblemCodes.TransferNotFound);
        // The challenge is still alice's to answer.
        Assert.Equal(TransferState.Upload, (await Api.Read<TransferDto>(await Prove(alice, announced, await Proof(announced, content)))).State);
    }

    /// <summary>The answer to <paramref name="proof"/> is the whole upload plan: no tier is told, nothing is delivered.</summary>
    private static async Task AssertNoHit(TestUser user, string roomId, byte[] content, Func<TransferDto, Task<string>> proof)
    {
        var announced = await Create(user, Announce(content, room: roomId));
        var answer = await Api.Read<TransferDto>(await Prove(user, announced, await proof(announced)));
        Assert.Equal((TransferState.Upload, DedupTier.None, (long)content.Length, null), (answer.State, answer.Dedup, answer.Upload!.Length, answer.Message));
        // Its one attempt is used up.
        await Api.AssertProblem(await Prove(user, announced, await Proof(announced, content)), HttpStatusCode.Conflict, ProblemCodes.TransferWrongState);
    }
}
