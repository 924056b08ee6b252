using System.Net;
using System.Net.Http.Json;
using Parley.Core.Accounts;
using Parley.Core.Json;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Server.Accounts;
using Parley.Server.Hosting;
using Parley.Server.Messaging;
using Parley.Server.Passphrase;
using Parley.Testing;
using static Parley.Server.Tests.Passphrase.PakeCalls;

namespace Parley.Server.Tests.Telemetry;

/// <summary>Each capability's meter counts what real API calls did, and its security events reach the security log.</summary>
public sealed class MeterTests : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private RunningServer _server = null!;
    private Api _api = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(configureServices: _logs.AddTo);
        _api = new Api(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IEnumerable<CapturedLogs.Entry> Security => _logs.Entries.Where(e => e.Category == SecurityLog.Category);

    [Fact]
    public async Task Sign_in_failures_are_counted_by_reason_and_logged_without_the_password()
    {
        using var failures = Meters.Collect(_server, AccountMetrics.Name, "parley.accounts.sign_in_failures");
        var alice = await _api.NewUser("alice");
        var anonymous = _server.CreateHttpClient();
        const string guess = "not-the-password-9f3c";

        foreach (var name in new[] { alice.Name, alice.Name, "nobody" + alice.Name })
            await Api.AssertProblem(await anonymous.PostAsJsonAsync("/api/sessions", new SignInRequest(name, guess), ParleyJson.Options),
                HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidCredentials);

        Assert.Equal((2, 1, 3), (failures.Sum("reason", "wrong_password"), failures.Sum("reason", "unknown_user"), failures.Sum()));
        var logged = Security.Where(e => e.Message.Contains("Sign-in refused")).ToList();
        Assert.Equal(3, logged.Count);
        Assert.Contains(logged, e => e.Message.Contains(alice.Name) && e.Message.Contains("127.0.0.1") && e.Message.Contains("wrong_password"));
        Assert.DoesNotContain(_logs.Entries, e => e.Message.Contains(guess));
    }

    [Fact]
    public async Task Messages_posted_are_counted_by_kind_and_retries_are_not()
    {
        using var posted = Meters.Collect(_server, MessagingMetrics.Name, "parley.messages.posted");
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);

        for (var i = 0; i < 2; i++) // the same clientMessageId twice: one message
            await alice.Http.PostAsJsonAsync($"/api/rooms/{room.Id}/messages", new SendMessageRequest("hello", "retry-1"), ParleyJson.Options);
        await Transfer.TransferDriver.Send(alice, Transfer.TransferDriver.RandomPicture(5_000), room: room.Id);

        Assert.Equal((1, 1), (posted.Sum("kind", "text"), posted.Sum("kind", "media")));
    }

    [Fact]
    public async Task Handshakes_are_counted_by_outcome_and_failures_logged()
    {
        using var handshakes = Meters.Collect(_server, PassphraseMetrics.Name, "parley.passphrase.handshakes");
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");

        var connected = await Start(alice, bob.Name);
        Assert.Equal(HttpStatusCode.OK, (await Answer(bob, connected.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Confirm(alice, connected.Id)).StatusCode);
        var failed = await Start(alice, bob.Name);
        Assert.Equal(HttpStatusCode.OK, (await Answer(bob, failed.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Fail(alice, failed.Id)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Fail(alice, failed.Id)).StatusCode); // ended already: not counted again

        Assert.Equal((1, 1, 2), (handshakes.Sum("outcome", PassphraseMetrics.Connected), handshakes.Sum("outcome", ProblemCodes.PassphraseMismatch), handshakes.Sum()));
        var logged = Assert.Single(Security, e => e.Message.Contains("handshake"));
        Assert.Contains(failed.Id, logged.Message);
        Assert.Contains(ProblemCodes.PassphraseMismatch, logged.Message);
    }

    [Fact]
    public async Task Rate_limit_refusals_are_logged_as_security_events()
    {
        var logs = new CapturedLogs();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string>
            { ["Parley:Rates:RequestsPerSecond"] = "1", ["Parley:Rates:RequestBurst"] = "2" }, configureServices: logs.AddTo);
        var alice = await new Api(server).NewUser("alice");

        HttpResponseMessage response;
        do response = await alice.Http.GetAsync("/api/rooms?token=not-logged");
        while (response.StatusCode != HttpStatusCode.TooManyRequests);

        var logged = logs.Entries.First(e => e.Category == SecurityLog.Category && e.Message.Contains("Rate limit"));
        Assert.Contains("GET /api/rooms from 127.0.0.1", logged.Message);
        Assert.Contains(alice.Id, logged.Message);
        Assert.Contains(ProblemCodes.RequestRateLimited, logged.Message);
        Assert.DoesNotContain("not-logged", logged.Message);
    }
}
