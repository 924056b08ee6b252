using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Server.Storage;
using Parley.Server.Transfer;
using Parley.Testing;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Storage;

/// <summary>A PATCH's lock ends with the PATCH, whatever becomes of the upload: nothing accumulates in a long-running node.</summary>
public sealed class UploadLockLifetimeTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-22T12:00:00Z"));
    private RunningServer _server = null!;
    private Api _api = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(
            new Dictionary<string, string> { ["Parley:Transfer:UploadExpiry"] = "01:00:00", ["Parley:Transfer:CollectEvery"] = "30.00:00:00" },
            configureServices: services => services.AddSingleton<TimeProvider>(_clock));
        _api = new Api(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Completed_refused_deleted_and_expired_uploads_hold_no_lock()
    {
        var alice = await _api.NewUser();
        var room = (await _api.NewRoom(alice)).Id;
        var uploads = new List<string>();
        async Task<string> Started(byte[] content)
        {
            var transfer = await CreateAndProve(alice, Announce(content, room: room), content);
            var location = await StartUpload(alice, transfer.Id, content.Length);
            uploads.Add(location.Split('/')[^1]);
            return location;
        }

        var completed = RandomPicture(20_000);
        var location = await Started(completed);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, 0, completed[..8_000])).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, 8_000, completed[8_000..])).StatusCode);

        var refused = RandomPicture(20_000);
        location = await Started(refused);
        Assert.Equal((HttpStatusCode)460, (await Patch(alice, location, 0, refused[..5_000], Sha1(refused[..4_000]))).StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await Patch(alice, location, 0, [.. refused, 0])).StatusCode);

        var deleted = RandomPicture(20_000);
        location = await Started(deleted);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, 0, deleted[..5_000])).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.SendAsync(Tus(HttpMethod.Delete, location))).StatusCode);

        var abandoned = RandomPicture(20_000);
        location = await Started(abandoned);
        Assert.Equal(HttpStatusCode.NoContent, (await Patch(alice, location, 0, abandoned[..5_000])).StatusCode);
        _clock.Advance(TimeSpan.FromHours(2));
        // The abandoned upload expires, and so does the refused one, which nobody finished either.
        Assert.Equal(2, (await _server.Services.GetRequiredService<BlobCollector>().CollectAsync(CancellationToken.None)).ExpiredTransfers);

        var locks = _server.Services.GetRequiredService<IUploadLocks>();
        if (locks is InProcessUploadLocks inProcess) Assert.Equal(0, inProcess.HeldCount);
        // On any store, each of the four can be locked again at once: none was left held.
        foreach (var upload in uploads)
            await using (var held = await locks.TryAcquireAsync(upload, CancellationToken.None)) Assert.NotNull(held);
    }
}
