using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Broadcast;
using Parley.Core.Problems;
using Parley.Testing;
using static Parley.Server.Tests.Broadcast.BroadcastDriver;

namespace Parley.Server.Tests.Broadcast;

/// <summary>Expiry and dynamic-key rotation, on a server whose clock the test moves.</summary>
public sealed class TicketLifetimeTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-22T12:00:00Z"));
    private RunningServer _server = null!;
    private Api _api = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(
            new Dictionary<string, string> { ["Parley:Broadcast:TicketLifetime"] = "00:02:00", ["Parley:Broadcast:KeyRotation"] = "00:01:00" },
            configureServices: services => services.AddSingleton<TimeProvider>(_clock));
        _api = new Api(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task An_expired_ticket_is_refused()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        var ticket = await Ticket(alice, room.Id, Picture(20));

        _clock.Advance(TimeSpan.FromMinutes(2));

        await Api.AssertProblem(await RequestBroadcast(alice.Http, room.Id, ticket), HttpStatusCode.Forbidden, ProblemCodes.TicketExpired);
    }

    [Fact]
    public async Task Tickets_sealed_before_a_key_rotation_still_verify_until_they_expire()
    {
        var alice = await _api.NewUser("alice");
        var room = await _api.NewRoom(alice);
        var before = await Ticket(alice, room.Id, Picture(21));
        _clock.Advance(TimeSpan.FromSeconds(61));
        var after = await Ticket(alice, room.Id, Picture(22));

        TicketCodec.TryReadKeyIds(before, out _, out var firstKey);
        TicketCodec.TryReadKeyIds(after, out _, out var secondKey);
        Assert.NotEqual(firstKey, secondKey);
        await Api.Read<BroadcastResultDto>(await RequestBroadcast(alice.Http, room.Id, before));
        await Api.Read<BroadcastResultDto>(await RequestBroadcast(alice.Http, room.Id, after));
    }
}

/// <summary>With encryption off, tickets carry no encryption marker and still verify.</summary>
public sealed class PlainTicketTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Broadcast:EncryptTickets"] = "false" });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Plain_tickets_are_signed_and_work()
    {
        var api = new Api(_server);
        var alice = await api.NewUser("alice");
        var room = await api.NewRoom(alice, await api.NewUser("bob"));

        var ticket = await Ticket(alice, room.Id, Picture(23));

        Assert.True(TicketCodec.TryReadKeyIds(ticket, out _, out var dynamicKeyId));
        Assert.Null(dynamicKeyId);
        Assert.Equal(1, (await Api.Read<BroadcastResultDto>(await RequestBroadcast(alice.Http, room.Id, ticket))).Reached);
    }
}
