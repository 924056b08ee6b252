using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.Transfer;
using Parley.Testing;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Transfer;

public sealed class CollectorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-22T12:00:00Z"));
    private RunningServer _server = null!;
    private Api _api = null!;

    public async Task InitializeAsync()
    {
        // The periodic run is pushed far away so the test decides when collection happens.
        _server = await RunningServer.StartAsync(
            new Dictionary<string, string> { ["Parley:Transfer:UploadExpiry"] = "01:00:00", ["Parley:Transfer:CollectEvery"] = "30.00:00:00" },
            configureServices: services => services.AddSingleton<TimeProvider>(_clock));
        _api = new Api(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<CollectionReport> Collect() => _server.Services.GetRequiredService<BlobCollector>().CollectAsync(CancellationToken.None);

    /// <summary>
    /// An ended upload's file leaves the uploads folder before the request answers and is deleted on a pool thread; one
    /// whose deletion a stop interrupted is deleted by the next collection, whatever its age.
    /// </summary>
    [Fact]
    public async Task An_ended_uploads_file_is_discarded_at_once_and_what_a_stop_left_is_collected()
    {
        var alice = await _api.NewUser();
        var content = RandomPicture(300_000);
        var sent = await Send(alice, content, room: (await _api.NewRoom(alice)).Id);
        Assert.Equal(TransferState.Delivered, sent.State);
        Assert.Empty(Directory.GetFiles(Path.Combine(_server.DataDirectory, "uploads")));

        var discarded = Path.Combine(_server.DataDirectory, "discarded");
        var leftByAStop = Path.Combine(discarded, "up_left_by_a_stop");
        await File.WriteAllBytesAsync(leftByAStop, content);
        await Collect();

        Assert.False(File.Exists(leftByAStop));
        Assert.Equal(content, await alice.Http.GetByteArrayAsync($"/api/media/{sent.Message!.Id}"));
    }

    [Fact]
    public async Task Abandoned_uploads_expire_and_their_bytes_are_deleted()
    {
        var alice = await _api.NewUser();
        var content = RandomPicture(20_000);
        var announced = await CreateAndProve(alice, Announce(content, room: (await _api.NewRoom(alice)).Id), content);
        var location = await StartUpload(alice, announced.Id, content.Length);
        await Patch(alice, location, 0, content[..10_000]);

        _clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, (await Collect()).ExpiredTransfers);
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await Collect()).ExpiredTransfers);

        var state = await Api.Read<TransferDto>(await alice.Http.GetAsync($"/api/transfers/{announced.Id}"));
        Assert.Equal((TransferState.Failed, ProblemCodes.TransferExpired), (state.State, state.Failure));
        Assert.Empty(Directory.GetFiles(Path.Combine(_server.DataDirectory, "uploads")));
    }

    [Fact]
    public async Task Blobs_no_message_refers_to_are_collected_and_referenced_ones_kept()
    {
        var alice = await _api.NewUser();
        var kept = RandomPicture(30_000);
        await Send(alice, kept, room: (await _api.NewRoom(alice)).Id);
        // A transfer whose sender left the room before it finished stores the blob but delivers nothing.
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(bob, alice);
        var orphaned = RandomPicture(40_000);
        var announced = await CreateAndProve(alice, Announce(orphaned, room: room.Id), orphaned);
        var location = await StartUpload(alice, announced.Id, orphaned.Length);
        await alice.Http.PostAsync($"/api/rooms/{room.Id}/leave", null);
        await Api.AssertProblem(await Patch(alice, location, 0, orphaned), HttpStatusCode.Forbidden, ProblemCodes.RoomNotMember);

        var orphanId = ContentId.Of(orphaned).ToString();
        var keptId = ContentId.Of(kept).ToString();
        Assert.Equal(0, (await Collect()).Blobs); // still within the grace period
        _clock.Advance(BlobCollector.Grace + TimeSpan.FromSeconds(1));
        var report = await Collect();

        Assert.Equal((1, 1, (long)orphaned.Length), (report.Blobs, report.Chunks, report.BytesFreed));
        Assert.False(await _api.InDatabase(db => db.Blobs.AnyAsync(b => b.Id == orphanId)));
        Assert.True(await _api.InDatabase(db => db.Blobs.AnyAsync(b => b.Id == keptId)));
        Assert.Single(Directory.GetFiles(Path.Combine(_server.DataDirectory, "blobs", "chunks"), "*", SearchOption.AllDirectories));
    }
}
