using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Testing;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Transfer;

/// <summary>Per-user limits of the transfer path (issue 14, defects 0 and 5), on a server with small limits and a fake clock.</summary>
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
                ["Parley:Transfer:CollectEvery"] = "30.00:00:00",
            },
            configureServices: services => services.AddSingleton<TimeProvider>(_clock));
        _api = new Api(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Unanswered_and_failed_challenges_count_against_the_user_until_the_window_passes()
    {
        var mallory = await _api.NewUser("mallory");
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(mallory);
        var request = Announce(RandomContent(1000), room: room.Id);
        // Unanswered, and answered without the bytes then abandoned: each one counts.
        await Create(mallory, request);
        await Create(mallory, request);
        await CreateAndProve(mallory, request, new byte[1000]);
        _clock.Advance(TimeSpan.FromMinutes(20));

        var refused = await Api.PostJson(mallory.Http, "/api/transfers", request);
        await Api.AssertProblem(refused, HttpStatusCode.TooManyRequests, ProblemCodes.TransferRateLimited);
        Assert.Equal(TimeSpan.FromMinutes(40), refused.Headers.RetryAfter!.Delta);
        // Someone else's budget is untouched, and delivered transfers never count.
        var content = RandomContent(2000);
        Assert.Equal(TransferState.Delivered, (await Send(alice, content, room: (await _api.NewRoom(alice)).Id)).State);

        _clock.Advance(TimeSpan.FromMinutes(41));
        Assert.Equal(TransferState.Prove, (await Create(mallory, request)).State);
    }
}
