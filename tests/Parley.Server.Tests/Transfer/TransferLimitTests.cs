using System.Security.Cryptography;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Testing;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Transfer;

/// <summary>
/// Per-user limits of the transfer path (issue 14, defects 0 and 5), on a server with small limits
/// and a fake clock: 3 undelivered transfers an hour, 2 open uploads, 10,000 bytes outstanding,
/// 12,000 bytes stored. (One user opened 40 uploads declared at 8 GiB each with nothing refused.)
/// </summary>
public sealed class TransferLimitTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-28T12:00:00Z"));
    private RunningServer _server = null!;
    private Api _api = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(
            new Dictionary<string, string>
            {
                ["Parley:Transfer:MaxUnfinishedTransfers"] = "3", ["Parley:Transfer:UnfinishedWindow"] = "01:00:00",
                ["Parley:Transfer:MaxOpenUploads"] = "2", ["Parley:Transfer:MaxOutstandingUploadBytes"] = "10000",
                ["Parley:Transfer:MaxStoredBytesPerUser"] = "12000", ["Parley:Transfer:UploadExpiry"] = "01:00:00",
                ["Parley:Transfer:CollectEvery"] = "30.00:00:00",
            },
            configureServices: services => services.AddSingleton<TimeProvider>(_clock));
        _api = new Api(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task<(TestUser User, string RoomId)> Sender()
    {
        var user = await _api.NewUser();
        return (user, (await _api.NewRoom(user)).Id);
    }

    private static async Task<TransferDto> Planned(TestUser user, string roomId, int size)
    {
        // Only announced and planned, never completed: any bytes do.
        var content = RandomNumberGenerator.GetBytes(size);
        return await CreateAndProve(user, Announce(content, room: roomId), content);
    }

    [Fact]
    public async Task Unanswered_and_failed_challenges_count_against_the_user_until_the_window_passes()
    {
        var mallory = await _api.NewUser("mallory");
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(mallory);
        var request = Announce(RandomPicture(1000), room: room.Id);
        // Unanswered, and answered without the bytes then abandoned: each one counts.
        await Create(mallory, request);
        await Create(mallory, request);
        await CreateAndProve(mallory, request, new byte[1000]);
        _clock.Advance(TimeSpan.FromMinutes(20));

        var refused = await TransferDriver.Post(mallory, request);
        await Api.AssertProblem(refused, HttpStatusCode.TooManyRequests, ProblemCodes.TransferRateLimited);
        Assert.Equal(TimeSpan.FromMinutes(40), refused.Headers.RetryAfter!.Delta);
        // Someone else's budget is untouched, and delivered transfers never count.
        var content = RandomPicture(2000);
        Assert.Equal(TransferState.Delivered, (await Send(alice, content, room: (await _api.NewRoom(alice)).Id)).State);

        _clock.Advance(TimeSpan.FromMinutes(41));
        Assert.Equal(TransferState.Prove, (await Create(mallory, request)).State);
    }

    [Fact]
    public async Task Open_uploads_are_limited_and_the_refusal_says_when_to_retry()
    {
        var (user, room) = await Sender();
        await StartUpload(user, (await Planned(user, room, 100)).Id, 100);
        _clock.Advance(TimeSpan.FromMinutes(10));
        await StartUpload(user, (await Planned(user, room, 100)).Id, 100);

        var refused = await CreateUpload(user, (await Planned(user, room, 100)).Id, 100);

        await Api.AssertProblem(refused, HttpStatusCode.TooManyRequests, ProblemCodes.UploadQuotaExceeded);
        Assert.Equal(TimeSpan.FromMinutes(50), refused.Headers.RetryAfter!.Delta); // when the oldest one expires
    }

    [Fact]
    public async Task Declared_bytes_outstanding_are_limited()
    {
        var (user, room) = await Sender();
        await StartUpload(user, (await Planned(user, room, 8000)).Id, 8000);

        await Api.AssertProblem(await CreateUpload(user, (await Planned(user, room, 3000)).Id, 3000), HttpStatusCode.TooManyRequests, ProblemCodes.UploadQuotaExceeded);
        Assert.Equal(HttpStatusCode.Created, (await CreateUpload(user, (await Planned(user, room, 2000)).Id, 2000)).StatusCode);
    }

    [Fact]
    public async Task Stored_bytes_are_limited_but_content_that_was_already_stored_costs_nothing()
    {
        var (user, room) = await Sender();
        var first = RandomPicture(9000);
        await Send(user, first, room: room);

        await Api.AssertProblem(await CreateUpload(user, (await Planned(user, room, 5000)).Id, 5000), HttpStatusCode.Forbidden, ProblemCodes.UploadStorageQuotaExceeded);
        Assert.Equal((TransferState.Delivered, DedupTier.Local), await Sent(user, first, room));
        var (other, otherRoom) = await Sender();
        Assert.Equal((TransferState.Delivered, DedupTier.None), await Sent(other, RandomPicture(5000), otherRoom));
    }

    private static async Task<(TransferState, DedupTier?)> Sent(TestUser user, byte[] content, string roomId)
    {
        var sent = await Send(user, content, room: roomId);
        return (sent.State, sent.Dedup);
    }
}
