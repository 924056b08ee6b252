using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Accounts;
using Parley.Core.Broadcast;
using Parley.Core.Problems;
using Parley.Server.Broadcast;
using Parley.Server.Transfer;
using Parley.Testing;
using static Parley.Server.Tests.Broadcast.BroadcastDriver;

namespace Parley.Server.Tests.Hosting;

/// <summary>
/// Two nodes on one PostgreSQL and one media folder, each with a data folder of its own: what one node keeps, the
/// other sees, so a load balancer may send any request to either.
/// </summary>
public sealed class SharedStateTests : IAsyncLifetime
{
    private RunningServer _first = null!;
    private RunningServer _second = null!;

    public async Task InitializeAsync()
    {
        var database = await (await TestPostgres.InstanceAsync()).DatabaseAsync("parley_shared_" + Guid.NewGuid().ToString("N")[..12]);
        var settings = new Dictionary<string, string>
        {
            ["Parley:Storage:ConnectionString"] = database,
            ["Parley:Storage:MediaDirectory"] = Path.Combine(Path.GetTempPath(), "parley-media-" + Guid.NewGuid().ToString("N")),
            ["Parley:SignIn:AccountFailureLimit"] = "3",
        };
        _first = await RunningServer.StartAsync(settings);
        _second = await RunningServer.StartAsync(settings);
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
    }

    [Fact]
    public async Task Both_nodes_hold_the_same_node_key_and_ticket_keys()
    {
        Assert.Equal(Key<NodeKey>(_first).Value, Key<NodeKey>(_second).Value);
        Assert.Equal(File.ReadAllText(Path.Combine(_first.DataDirectory, "node.key")), File.ReadAllText(Path.Combine(_second.DataDirectory, "node.key")));
        Assert.Equal(Key<TicketKeys>(_first).Signing.Id, Key<TicketKeys>(_second).Signing.Id);

        // The second node finds the first's fresh dynamic key rather than making its own.
        var sealing = await Key<TicketKeys>(_first).CurrentAsync(CancellationToken.None);
        Assert.Equal(sealing.Id, (await Key<TicketKeys>(_second).CurrentAsync(CancellationToken.None)).Id);
    }

    [Fact]
    public async Task A_ticket_sealed_at_one_node_is_broadcast_through_the_other()
    {
        var api = new Api(_first);
        var alice = await api.NewUser("alice");
        var bob = await api.NewUser("bob");
        var room = await api.NewRoom(alice, bob);
        var ticket = await Ticket(alice, room.Id, Picture(21));

        var result = await Api.Read<BroadcastResultDto>(await RequestBroadcast(new Api(_second).As(alice), room.Id, ticket));

        Assert.Equal(1, result.Reached);
    }

    [Fact]
    public async Task Failed_sign_ins_at_either_node_count_toward_one_account_limit()
    {
        var owner = await new Api(_first).NewUser("owner");
        foreach (var (node, guess) in new[] { (_first, "one"), (_second, "two"), (_first, "three") })
            await Api.AssertProblem(await Api.PostJson(node.CreateHttpClient(), "/api/sessions", new SignInRequest(owner.Name, guess)),
                HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidCredentials);

        foreach (var node in new[] { _second, _first })
            await Api.AssertProblem(await Api.PostJson(node.CreateHttpClient(), "/api/sessions", new SignInRequest(owner.Name, Api.Password)),
                HttpStatusCode.TooManyRequests, ProblemCodes.AuthAccountThrottled);
    }

    private static T Key<T>(RunningServer server) where T : notnull => server.Services.GetRequiredService<T>();
}
