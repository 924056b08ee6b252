using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Testing;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Transfer;

/// <summary>
/// Attacks on the proof of ownership (issue 14, defects 0 and 9). The attacker is a user who shares no
/// room with the victim and knows the victim's content id and size, not the bytes.
/// </summary>
public sealed class OwnershipAttackTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;

    /// <summary>
    /// The attack of the hostile review: content X = the victim's 100 KiB file + bytes of the attacker's
    /// own + one of her stored chunks repeated 12 times, announced with a manifest whose first entry is
    /// the victim's content id (a one-chunk file's content id is its chunk id). In the review X's content
    /// id came from SHA-256 length extension; the test computes it from the bytes, which gives the same
    /// id. The attacker answers every challenge from her own bytes (zeros where the victim's are), drops
    /// challenges she cannot answer and retries, and uploads what she is asked for. She must never be
    /// able to read the victim's bytes.
    /// </summary>
    [Fact]
    public async Task A_forged_manifest_that_lists_someone_elses_content_as_a_chunk_gets_none_of_its_bytes()
    {
        var alice = await _api.NewUser("alice");
        var mallory = await _api.NewUser("mallory");
        var victim = RandomPicture(100 * 1024);
        await Send(alice, victim, room: (await _api.NewRoom(alice)).Id);
        var own = RandomPicture(300 * 1024);
        await Send(mallory, own, room: (await _api.NewRoom(mallory)).Id);
        var room = await _api.NewRoom(mallory);

        var middle = RandomPicture(300 * 1024);
        byte[] forged = [.. victim, .. middle, .. Enumerable.Repeat(own, 12).SelectMany(b => b)];
        // What mallory holds: everything but the victim's bytes.
        byte[] held = [.. new byte[victim.Length], .. forged.AsSpan(victim.Length)];
        var chunks = new List<ChunkDto> { new(ContentId.Of(victim).ToString(), victim.Length), new(ContentId.Of(middle).ToString(), middle.Length) };
        chunks.AddRange(Enumerable.Repeat(new ChunkDto(ContentId.Of(own).ToString(), own.Length), 12));
        var request = new CreateTransferRequest(ContentId.Of(forged).ToString(), forged.Length, room.Id, FileName: "x.bin", Chunks: chunks);

        for (var attempt = 0; attempt < 20 && !await Attempt(mallory, request, held, victim.Length); attempt++)
        {
        }

        await Api.AssertProblem(await mallory.Http.GetAsync($"/api/media/{request.ContentId}"), HttpStatusCode.NotFound, ProblemCodes.MediaNotFound);
    }

    /// <summary>
    /// One round of the attack, speaking whichever protocol the server speaks: a challenge of byte
    /// ranges (answered from <paramref name="held"/>, dropped when a range touches the victim's bytes)
    /// or a nonce over the whole content. True when the server delivered.
    /// </summary>
    private static async Task<bool> Attempt(TestUser mallory, CreateTransferRequest request, byte[] held, int victimLength)
    {
        var created = await TransferDriver.Post(mallory, request);
        if (created.StatusCode != HttpStatusCode.Created) return false;
        var transfer = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement;
        var id = transfer.GetProperty("id").GetString()!;
        if (transfer.TryGetProperty("challenge", out var challenge) && challenge.ValueKind == JsonValueKind.Object)
        {
            var nonce = Convert.FromBase64String(challenge.GetProperty("nonce").GetString()!);
            using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, nonce);
            if (challenge.TryGetProperty("ranges", out var ranges))
            {
                foreach (var range in ranges.EnumerateArray())
                {
                    var (offset, length) = (range.GetProperty("offset").GetInt64(), range.GetProperty("length").GetInt32());
                    if (offset < victimLength) return false; // she cannot answer this one: drop it and try again
                    mac.AppendData(held, (int)offset, length);
                }
            }
            else mac.AppendData(held);
            var proved = await Api.PostJson(mallory.Http, $"/api/transfers/{id}/proof", new ProofRequest(Convert.ToBase64String(mac.GetHashAndReset())));
            if (proved.StatusCode != HttpStatusCode.OK) return false;
            transfer = JsonDocument.Parse(await proved.Content.ReadAsStringAsync()).RootElement;
        }
        if (transfer.GetProperty("state").GetString() == "upload")
        {
            var missing = transfer.GetProperty("upload").GetProperty("missingChunks").EnumerateArray().Select(i => i.GetInt32()).ToList();
            var starts = new List<int>();
            var start = 0;
            foreach (var chunk in request.Chunks!)
            {
                starts.Add(start);
                start += chunk.Length;
            }
            var bytes = missing.SelectMany(i => held.AsSpan(starts[i], request.Chunks![i].Length).ToArray()).ToArray();
            var location = await StartUpload(mallory, id, bytes.Length);
            await Patch(mallory, location, 0, bytes);
        }
        var final = JsonDocument.Parse(await mallory.Http.GetStringAsync($"/api/transfers/{id}")).RootElement;
        return final.GetProperty("state").GetString() == "delivered";
    }

    /// <summary>
    /// Someone who knows only a content id learns nothing from the answers: content that exists (in a
    /// room they are not in) and content that does not get the same first answer and, after a proof
    /// made without the bytes, the same upload plan (defect 9).
    /// </summary>
    [Fact]
    public async Task The_answers_do_not_tell_someone_without_the_bytes_whether_content_exists()
    {
        var alice = await _api.NewUser("alice");
        var mallory = await _api.NewUser("mallory");
        var stored = RandomPicture(600 * 1024);
        await Send(alice, stored, room: (await _api.NewRoom(alice)).Id, withManifest: true);
        var absent = RandomPicture(stored.Length);
        var room = await _api.NewRoom(mallory);

        async Task<(object First, object AfterProof)> Probe(byte[] content)
        {
            var request = Announce(content, room: room.Id, withManifest: true);
            var first = await Create(mallory, request);
            var after = await Api.Read<TransferDto>(await Prove(mallory, first, await Proof(first, new byte[content.Length])));
            // Chunk counts differ between two random contents; what matters is whether any chunk was offered.
            object Shape(TransferDto t) => (t.State, t.Dedup, t.Challenge is null, t.Upload?.Length, t.Upload?.MissingChunks?.Count == request.Chunks!.Count, t.Message is null);
            return (Shape(first), Shape(after));
        }
        var (storedFirst, storedAfter) = await Probe(stored);
        var (absentFirst, absentAfter) = await Probe(absent);

        Assert.Equal(absentFirst, storedFirst);
        Assert.Equal(absentAfter, storedAfter);
        Assert.Equal($"(Upload, None, True, {stored.Length}, True, True)", storedAfter.ToString());
    }

    /// <summary>Chunks of content the sender can read are reused; the same chunks of someone else's content are not offered.</summary>
    [Fact]
    public async Task Partial_dedup_reuses_only_chunks_of_content_the_sender_can_read()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var mallory = await _api.NewUser("mallory");
        var (original, edited) = PictureAndEdit(3 * 1024 * 1024, seed: 11, edit: ^300);
        await Send(alice, original, room: (await _api.NewRoom(alice, bob)).Id, withManifest: true);

        var byBob = await CreateAndProve(bob, Announce(edited, room: (await _api.NewRoom(bob)).Id, withManifest: true), edited);
        var byMallory = await CreateAndProve(mallory, Announce(edited, room: (await _api.NewRoom(mallory)).Id, withManifest: true), edited);

        Assert.Equal(DedupTier.Partial, byBob.Dedup);
        Assert.True(byBob.Upload!.Length < edited.Length);
        Assert.Equal((DedupTier.None, (long)edited.Length), (byMallory.Dedup, byMallory.Upload!.Length));
    }
}
