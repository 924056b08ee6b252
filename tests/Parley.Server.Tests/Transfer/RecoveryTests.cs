using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.Transfer;
using Parley.Testing;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Transfer;

/// <summary>What a crash leaves behind, and how a restart and the collector settle it (issue 14, defects 3 and 8).</summary>
public sealed class RecoveryTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "parley-test-" + Guid.NewGuid().ToString("N"));
    // Files carry the file system's real times; the fake clock starts at the real now so ages compare.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private RunningServer _server = null!;

    private Task<RunningServer> Start() => RunningServer.StartAsync(
        new Dictionary<string, string> { ["Parley:Transfer:CollectEvery"] = "30.00:00:00" }, _data,
        services => services.AddSingleton<TimeProvider>(_clock));

    public async Task InitializeAsync() => _server = await Start();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>The user, signed in again on the restarted server.</summary>
    private static async Task<HttpClient> On(RunningServer server, TestUser user)
    {
        var http = server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", (await new Api(server).SignIn(user.Name)).Token);
        return http;
    }

    /// <summary>
    /// The server stopped after the last byte of an upload was recorded and before it was verified:
    /// every rerun answered 409 wrong_state until the transfer expired a day later.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_upload_that_had_all_its_bytes_when_the_server_stopped_is_completed_at_restart(bool withManifest)
    {
        var api = new Api(_server);
        var alice = await api.NewUser("alice");
        var room = await api.NewRoom(alice);
        var (original, edited) = PictureAndEdit(3 * 1024 * 1024, seed: 3, edit: ^1000);
        var content = withManifest ? edited : original;
        if (withManifest) await Send(alice, original, room: room.Id, withManifest: true);
        var request = Announce(content, room: room.Id, withManifest: withManifest);
        var transfer = await CreateAndProve(alice, request, content);
        Assert.Equal(withManifest ? DedupTier.Partial : DedupTier.None, transfer.Dedup);
        var bytes = UploadBytes(transfer, content, request);
        var location = await StartUpload(alice, transfer.Id, bytes.Length);
        await Patch(alice, location, 0, bytes[..^1]);
        // The last PATCH's byte is on disk and recorded, then the process dies before verifying.
        var uploadId = location.Split('/')[^1];
        await File.AppendAllBytesAsync(Path.Combine(_data, "uploads", uploadId), bytes[^1..]);
        await api.InDatabase(db => db.Uploads.Where(u => u.Id == uploadId).ExecuteUpdateAsync(u => u.SetProperty(x => x.Offset, bytes.Length)));
        await _server.StopAsync();

        _server = await Start();

        var http = await On(_server, alice);
        var after = await Api.Read<TransferDto>(await http.GetAsync($"/api/transfers/{transfer.Id}"));
        Assert.Equal(TransferState.Delivered, after.State);
        Assert.Equal(content, await http.GetByteArrayAsync($"/api/media/{after.Message!.Id}"));
        Assert.Empty(Directory.GetFiles(Path.Combine(_data, "uploads")));
    }

    /// <summary>A transfer stopped between taking its proof and delivering fails, so the sender's rerun starts over.</summary>
    [Fact]
    public async Task A_transfer_stopped_between_proof_and_delivery_fails_at_restart()
    {
        var api = new Api(_server);
        var alice = await api.NewUser("alice");
        var content = RandomPicture(1000);
        var transfer = await Create(alice, Announce(content, room: (await api.NewRoom(alice)).Id));
        await api.InDatabase(db => db.Transfers.Where(t => t.Id == transfer.Id).ExecuteUpdateAsync(t => t.SetProperty(x => x.Proven, true)));
        await _server.StopAsync();

        _server = await Start();

        var after = await Api.Read<TransferDto>(await (await On(_server, alice)).GetAsync($"/api/transfers/{transfer.Id}"));
        Assert.Equal((TransferState.Failed, ProblemCodes.TransferInterrupted), (after.State, after.Failure));
    }

    /// <summary>
    /// The server computes its answer to a re-send's challenge in memory while the sender computes theirs: a proof that
    /// reaches a restarted node (or another node of a cluster) finds none there and computes it from the stored challenge.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_resend_announced_before_a_restart_is_proven_after_it(bool rightProof)
    {
        var api = new Api(_server);
        var (alice, bob) = (await api.NewUser("alice"), await api.NewUser("bob"));
        var content = RandomPicture(3 * 1024 * 1024);
        Assert.Equal(TransferState.Delivered, (await Send(alice, content, room: (await api.NewRoom(alice)).Id)).State);
        var resend = await Create(bob, Announce(content, room: (await api.NewRoom(bob)).Id));
        var proof = await Proof(resend, rightProof ? content : [.. content[..^1], (byte)~content[^1]]);
        await _server.StopAsync();

        _server = await Start();

        var proven = await Api.Read<TransferDto>(await Api.PostJson(await On(_server, bob), $"/api/transfers/{resend.Id}/proof", new ProofRequest(proof)));
        Assert.Equal(rightProof ? (TransferState.Delivered, DedupTier.Local) : (TransferState.Upload, DedupTier.None), (proven.State, proven.Dedup));
    }

    /// <summary>A crash during chunk writing left chunk files and a temporary file that were never collected.</summary>
    [Fact]
    public async Task The_collector_removes_files_the_database_does_not_know_and_keeps_the_rest()
    {
        var api = new Api(_server);
        var alice = await api.NewUser("alice");
        var kept = RandomPicture(50_000);
        await Send(alice, kept, room: (await api.NewRoom(alice)).Id);
        var open = RandomPicture(10_000);
        var openUpload = await StartUpload(alice, (await CreateAndProve(alice, Announce(open, room: (await api.NewRoom(alice)).Id), open)).Id, open.Length);
        var strayChunk = ContentId.Of(RandomNumberGenerator.GetBytes(100)).Hex;
        Directory.CreateDirectory(Path.Combine(_data, "blobs", "chunks", strayChunk[..2]));
        var strays = new[]
        {
            Path.Combine(_data, "blobs", "chunks", strayChunk[..2], strayChunk),
            Path.Combine(_data, "blobs", "tmp", Guid.NewGuid().ToString("N")),
            Path.Combine(_data, "uploads", "up_lostrace"),
        };
        foreach (var stray in strays) await File.WriteAllBytesAsync(stray, new byte[1000]);
        var collector = _server.Services.GetRequiredService<BlobCollector>();

        Assert.Equal(0, (await collector.CollectAsync(CancellationToken.None)).StrayFiles); // still within the grace period
        _clock.Advance(BlobCollector.Grace + TimeSpan.FromMinutes(1));
        var report = await collector.CollectAsync(CancellationToken.None);

        Assert.Equal(strays.Length, report.StrayFiles);
        Assert.All(strays, stray => Assert.False(File.Exists(stray)));
        Assert.True(File.Exists(Path.Combine(_data, "uploads", openUpload.Split('/')[^1])));
        Assert.Single(Directory.GetFiles(Path.Combine(_data, "blobs", "chunks"), "*", SearchOption.AllDirectories));
        Assert.Equal(kept, await alice.Http.GetByteArrayAsync($"/api/media/{ContentId.Of(kept)}"));
    }
}
