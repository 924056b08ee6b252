using System.Net;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Transfer;

/// <summary>
/// Content id first (docs/transfer.md): announced without a manifest, the manifest is given after the proof only when
/// bytes must travel (<c>PUT /api/transfers/{id}/manifest</c>), and every misuse of it gets its problem code.
/// </summary>
public sealed class ContentIdFirstTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const int KiB = 1024;
    private readonly Api _api = fixture.Api;

    /// <summary>Announce, prove, then the manifest: the plan names only the chunks around an edit; the bytes delivered are the file.</summary>
    [Fact]
    public async Task A_manifest_given_after_the_proof_uploads_only_the_missing_chunks()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        var (original, edited) = PictureAndEdit(3 * 1024 * KiB, seed: 7, edit: ^1);
        await Send(alice, original, room: room.Id, withManifest: true);

        var transfer = await CreateAndProve(alice, Announce(edited, room: room.Id), edited);
        Assert.Equal((TransferState.Upload, null, true), (transfer.State, transfer.Upload!.MissingChunks, transfer.Upload.AcceptsManifest));
        Assert.Equal(edited.Length, transfer.Upload.Length);

        var chunks = ManifestOf(edited);
        var planned = await Api.Read<TransferDto>(await GiveManifest(alice, transfer.Id, chunks));
        var missing = planned.Upload!.MissingChunks!;
        Assert.Equal((TransferState.Upload, DedupTier.Partial, false), (planned.State, planned.Dedup, planned.Upload.AcceptsManifest));
        Assert.InRange(missing.Count, 1, chunks.Count - 1);
        var bytes = UploadBytes(planned, edited, Announce(edited, room: room.Id) with { Chunks = chunks });
        Assert.Equal(planned.Upload.Length, bytes.Length);
        var location = await StartUpload(alice, transfer.Id, bytes.Length);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, 0, bytes)).StatusCode);

        var delivered = await Api.Read<TransferDto>(await alice.Http.GetAsync($"/api/transfers/{transfer.Id}"));
        Assert.Equal((TransferState.Delivered, DedupTier.Partial), (delivered.State, delivered.Dedup));
        Assert.Equal(edited, await alice.Http.GetByteArrayAsync($"/api/media/{delivered.Message!.Id}"));
    }

    /// <summary>
    /// The answer kept at the proof is what reused chunks are checked against: someone whose proof was wrong gets no
    /// content out of a manifest whose every chunk is stored (the assembled content fails the kept proof).
    /// </summary>
    [Fact]
    public async Task A_manifest_of_stored_chunks_after_a_wrong_proof_fails_the_transfer()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        var content = RandomPicture(900 * KiB);
        await Send(alice, content, room: room.Id, withManifest: true);

        var announced = await Create(alice, Announce(content, room: room.Id));
        var planned = await Api.Read<TransferDto>(await Prove(alice, announced, Convert.ToBase64String(new byte[32])));
        Assert.Equal(TransferState.Upload, planned.State);

        await Api.AssertProblem(await GiveManifest(alice, announced.Id, ManifestOf(content)), HttpStatusCode.Forbidden, ProblemCodes.TransferProofFailed);
        var failed = await Api.Read<TransferDto>(await alice.Http.GetAsync($"/api/transfers/{announced.Id}"));
        Assert.Equal((TransferState.Failed, ProblemCodes.TransferProofFailed), (failed.State, failed.Failure));
    }

    [Fact]
    public async Task Every_misuse_of_the_manifest_gets_its_problem_code()
    {
        var (alice, mallory) = (await _api.NewUser("alice"), await _api.NewUser("mallory"));
        var room = await _api.NewRoom(alice);
        var content = RandomPicture(3 * 1024 * KiB);
        var chunks = ManifestOf(content);
        var announced = await Create(alice, Announce(content, room: room.Id));

        // Before the proof: the server has not said that bytes must travel.
        await Api.AssertProblem(await GiveManifest(alice, announced.Id, chunks), HttpStatusCode.Conflict, ProblemCodes.TransferWrongState);
        var planned = await Api.Read<TransferDto>(await Prove(alice, announced, await Proof(announced, content)));
        Assert.Equal(TransferState.Upload, planned.State);
        // Someone else's transfer, or none.
        await Api.AssertProblem(await GiveManifest(mallory, announced.Id, chunks), HttpStatusCode.NotFound, ProblemCodes.TransferNotFound);
        await Api.AssertProblem(await GiveManifest(alice, "t_nothing", chunks), HttpStatusCode.NotFound, ProblemCodes.TransferNotFound);
        // Lengths that do not add up to the size, a bad id, a negative length (however the sum comes out), none at all.
        await Api.AssertProblem(await GiveManifest(alice, announced.Id, [.. chunks.Skip(1)]), HttpStatusCode.BadRequest, ProblemCodes.TransferInvalidManifest);
        await Api.AssertProblem(await GiveManifest(alice, announced.Id, [chunks[0] with { Id = "sha256:nope" }, .. chunks.Skip(1)]),
            HttpStatusCode.BadRequest, ProblemCodes.TransferInvalidManifest);
        await Api.AssertProblem(await GiveManifest(alice, announced.Id, [chunks[0] with { Length = -chunks[1].Length }, chunks[1] with { Length = chunks[1].Length + chunks[0].Length + chunks[1].Length }, .. chunks.Skip(2)]),
            HttpStatusCode.BadRequest, ProblemCodes.TransferInvalidManifest);
        await Api.AssertProblem(await GiveManifest(alice, announced.Id, []), HttpStatusCode.BadRequest, ProblemCodes.TransferInvalidManifest);

        Assert.Equal(HttpStatusCode.OK, (await GiveManifest(alice, announced.Id, chunks)).StatusCode);
        // Twice.
        await Api.AssertProblem(await GiveManifest(alice, announced.Id, chunks), HttpStatusCode.Conflict, ProblemCodes.TransferManifestExists);
    }

    [Fact]
    public async Task A_manifest_after_the_upload_started_or_the_transfer_ended_is_refused()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        var content = RandomPicture(600 * KiB);
        var chunks = ManifestOf(content);

        var uploading = await CreateAndProve(alice, Announce(content, room: room.Id), content);
        var location = await StartUpload(alice, uploading.Id, content.Length);
        var resumed = await Api.Read<TransferDto>(await alice.Http.GetAsync($"/api/transfers/{uploading.Id}"));
        Assert.False(resumed.Upload!.AcceptsManifest);
        await Api.AssertProblem(await GiveManifest(alice, uploading.Id, chunks), HttpStatusCode.Conflict, ProblemCodes.UploadExists);

        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, 0, content)).StatusCode);
        await Api.AssertProblem(await GiveManifest(alice, uploading.Id, chunks), HttpStatusCode.Conflict, ProblemCodes.TransferWrongState);
    }
}
