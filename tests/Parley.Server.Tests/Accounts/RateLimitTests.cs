using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Accounts;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Testing;

namespace Parley.Server.Tests.Accounts;

/// <summary>Per-user request and message rates, and failed sign-ins per account whatever the address.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Messages_beyond_a_users_rate_get_429_with_retry_after_and_are_not_stored()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string>
            { ["Parley:Rates:MessagesPerSecond"] = "1", ["Parley:Rates:MessageBurst"] = "3" });
        var api = new Api(server);
        var flooder = await api.NewUser("flooder");
        var bystander = await api.NewUser("bystander");
        var room = await api.NewRoom(flooder, bystander);

        var clock = Stopwatch.StartNew();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 12; i++) answers.Add(await Api.PostJson(flooder.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest($"flood {i}")));
        var elapsedSeconds = (int)Math.Ceiling(clock.Elapsed.TotalSeconds);

        var accepted = answers.Count(a => a.StatusCode == HttpStatusCode.Created);
        Assert.InRange(accepted, 3, 3 + elapsedSeconds);
        var refused = answers.First(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        await Api.AssertProblem(refused, HttpStatusCode.TooManyRequests, ProblemCodes.MessageRateLimited);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(accepted, await api.InDatabase(db => db.Messages.CountAsync(m => m.RoomId == room.Id)));
        // The limit is the flooder's own: others post, and the flooder still reads.
        Assert.Equal(HttpStatusCode.Created, (await Api.PostJson(bystander.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("hi"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await flooder.Http.GetAsync($"/api/rooms/{room.Id}/messages")).StatusCode);
    }

    [Fact]
    public async Task Requests_beyond_a_users_rate_get_429_with_retry_after()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string>
            { ["Parley:Rates:RequestsPerSecond"] = "1", ["Parley:Rates:RequestBurst"] = "5" });
        var api = new Api(server);
        var busy = await api.NewUser("busy");
        var other = await api.NewUser("other");

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 20; i++) answers.Add(await busy.Http.GetAsync("/api/me"));

        var refused = answers.First(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        await Api.AssertProblem(refused, HttpStatusCode.TooManyRequests, ProblemCodes.RequestRateLimited);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await other.Http.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Failed_sign_ins_are_limited_per_account_whatever_the_address_but_never_lock_out_the_owners_devices()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-22T12:00:00Z"));
        await using var server = await RunningServer.StartAsync(
            new Dictionary<string, string> { ["Parley:SignIn:AccountFailureLimit"] = "3", ["Parley:SignIn:AccountWindow"] = "00:15:00" },
            configureServices: services => services.AddSingleton<TimeProvider>(clock));
        var api = new Api(server);
        var owner = await api.NewUser("owner");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var device = await Api.Read<DeviceDto>(await Api.PostJson(owner.Http, "/api/devices", DeviceTests.Registration(key, owner.Id)), HttpStatusCode.Created);
        var attacker = server.CreateHttpClient(); // the per-address limit is off in tests: as if every guess came from elsewhere

        for (var i = 0; i < 3; i++)
            await Api.AssertProblem(await Api.PostJson(attacker, "/api/sessions", new SignInRequest(owner.Name, $"guess {i}")),
                HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidCredentials);

        // Even the right password is not checked now, so further guesses learn nothing.
        var throttled = await Api.PostJson(attacker, "/api/sessions", new SignInRequest(owner.Name, Api.Password));
        await Api.AssertProblem(throttled, HttpStatusCode.TooManyRequests, ProblemCodes.AuthAccountThrottled);
        Assert.Equal(TimeSpan.FromMinutes(15), throttled.Headers.RetryAfter?.Delta);
        // The owner's registered device still signs in; other accounts are untouched.
        Assert.Equal(HttpStatusCode.OK, (await Api.PostJson(attacker, "/api/sessions", new SignInRequest(owner.Name, Api.Password, device.Id))).StatusCode);
        var bystander = await api.NewUser("bystander");
        Assert.Equal(bystander.Name, (await api.SignIn(bystander.Name)).UserName);

        // The owner's success cleared the failures; a fresh attack is throttled again, and the lock lifts when the window passes.
        for (var i = 0; i < 3; i++) await Api.PostJson(attacker, "/api/sessions", new SignInRequest(owner.Name, $"again {i}"));
        clock.Advance(TimeSpan.FromMinutes(14));
        await Api.AssertProblem(await Api.PostJson(attacker, "/api/sessions", new SignInRequest(owner.Name, Api.Password)),
            HttpStatusCode.TooManyRequests, ProblemCodes.AuthAccountThrottled);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.OK, (await Api.PostJson(attacker, "/api/sessions", new SignInRequest(owner.Name, Api.Password))).StatusCode);

        // A revoked device is no longer the owner's: naming it earns no exemption.
        Assert.Equal(HttpStatusCode.NoContent, (await owner.Http.DeleteAsync($"/api/devices/{device.Id}")).StatusCode);
        for (var i = 0; i < 3; i++) await Api.PostJson(attacker, "/api/sessions", new SignInRequest(owner.Name, $"after {i}"));
        await Api.AssertProblem(await Api.PostJson(attacker, "/api/sessions", new SignInRequest(owner.Name, Api.Password, device.Id)),
            HttpStatusCode.TooManyRequests, ProblemCodes.AuthAccountThrottled);
    }

    [Theory]
    [InlineData("Parley:Rates:MessagesPerSecond", "0")]
    [InlineData("Parley:Rates:RequestBurst", "-1")]
    [InlineData("Parley:SignIn:AccountFailureLimit", "0")]
    [InlineData("Parley:Broadcast:MaxConcurrentDecodes", "0")]
    public async Task Limits_that_are_not_positive_stop_the_server_at_start_not_at_the_first_request(string setting, string value)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningServer.StartAsync(new Dictionary<string, string> { [setting] = value }));

        Assert.Contains(setting.Split(':')[^1], refused.Message);
    }
}
