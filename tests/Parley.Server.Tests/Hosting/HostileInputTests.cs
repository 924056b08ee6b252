using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Accounts;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Testing;

namespace Parley.Server.Tests.Hosting;

/// <summary>Whatever arrives, the answer is a 4xx problem with a code, and nothing stored changes.</summary>
public sealed class HostileInputTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;

    [Theory]
    [InlineData("{\"text\":", "truncated JSON")]
    [InlineData("{\"text\":5}", "wrong type")]
    [InlineData("{}", "missing member")]
    [InlineData("{\"text\":null}", "null member")]
    [InlineData("[\"text\"]", "array instead of object")]
    [InlineData("", "empty body")]
    [InlineData("\u0000\u0001garbage", "binary garbage")]
    public async Task Malformed_bodies_get_a_400_that_says_why_and_change_nothing(string body, string _)
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);

        var response = await Api.PostRaw(alice.Http, $"/api/rooms/{room.Id}/messages", body);

        var detail = await Api.AssertProblem(response, HttpStatusCode.BadRequest, ProblemCodes.RequestInvalid);
        Assert.False(string.IsNullOrWhiteSpace(detail));
        Assert.Equal(0, await _api.InDatabase(db => db.Messages.CountAsync(m => m.RoomId == room.Id)));
    }

    [Fact]
    public async Task Bodies_must_be_json()
    {
        var alice = await _api.NewUser();

        await Api.AssertProblem(await Api.PostRaw(alice.Http, "/api/rooms", "name=x", "application/x-www-form-urlencoded"),
            HttpStatusCode.UnsupportedMediaType, ProblemCodes.RequestUnsupportedMediaType);
    }

    [Fact]
    public async Task Oversized_bodies_are_refused_by_the_configured_limit()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Limits:MaxRequestBodyBytes"] = "1024" });
        var api = new Api(server);
        var alice = await api.NewUser();
        var room = await api.NewRoom(alice);

        var response = await Api.PostRaw(alice.Http, $"/api/rooms/{room.Id}/messages", $"{{\"text\":\"{new string('x', 4096)}\"}}");

        await Api.AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, ProblemCodes.RequestTooLarge);
        Assert.Equal(0, await api.InDatabase(db => db.Messages.CountAsync(m => m.RoomId == room.Id)));
    }

    [Fact]
    public async Task Unknown_addresses_and_methods_get_problems_too()
    {
        var alice = await _api.NewUser();

        await Api.AssertProblem(await alice.Http.GetAsync("/api/no-such-thing"), HttpStatusCode.NotFound, ProblemCodes.NotFound);
        await Api.AssertProblem(await alice.Http.PutAsync("/api/rooms", null), HttpStatusCode.MethodNotAllowed, ProblemCodes.MethodNotAllowed);
    }

    [Fact]
    public async Task Extremely_long_ids_in_the_path_are_just_unknown()
    {
        var alice = await _api.NewUser();

        await Api.AssertProblem(await alice.Http.GetAsync($"/api/rooms/{new string('r', 4000)}/messages"), HttpStatusCode.NotFound, ProblemCodes.RoomNotFound);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9")]
    [InlineData("text/event-stream")]
    [InlineData("image/png")]
    public async Task A_refused_token_is_a_401_problem_whatever_the_caller_accepts(string accept)
    {
        var http = fixture.Server.CreateHttpClient();
        http.DefaultRequestHeaders.Accept.ParseAdd(accept);

        await Api.AssertProblem(await http.GetAsync("/api/me"), HttpStatusCode.Unauthorized, ProblemCodes.AuthRequired);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "pt_signedoutsignedoutsignedout");
        await Api.AssertProblem(await http.GetAsync("/api/me"), HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidToken);
    }

    [Fact]
    public async Task A_browser_reconnecting_the_hub_with_a_signed_out_token_gets_401_over_every_transport()
    {
        var alice = await _api.NewUser();
        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync("/api/sessions/current")).StatusCode);
        var browser = fixture.Server.CreateHttpClient();
        var token = Uri.EscapeDataString(alice.Token);

        using var negotiate = new HttpRequestMessage(HttpMethod.Post, $"/hub/negotiate?negotiateVersion=1&access_token={token}");
        negotiate.Headers.Accept.ParseAdd("text/html");
        await Api.AssertProblem(await browser.SendAsync(negotiate), HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidToken);
        using var serverSentEvents = new HttpRequestMessage(HttpMethod.Get, $"/hub?id=someconnection&access_token={token}");
        serverSentEvents.Headers.Accept.ParseAdd("text/event-stream");
        await Api.AssertProblem(await browser.SendAsync(serverSentEvents), HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidToken);
        using var longPolling = new HttpRequestMessage(HttpMethod.Get, $"/hub?id=someconnection&access_token={token}");
        longPolling.Headers.Accept.ParseAdd("text/html");
        await Api.AssertProblem(await browser.SendAsync(longPolling), HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidToken);
    }

    [Fact]
    public async Task A_rate_limited_browser_gets_a_429_problem()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:SignIn:PermitLimit"] = "1" });
        var browser = server.CreateHttpClient();
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var guess = new SignInRequest("victim", "guess number n");

        await Api.AssertProblem(await Api.PostJson(browser, "/api/sessions", guess), HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidCredentials);
        await Api.AssertProblem(await Api.PostJson(browser, "/api/sessions", guess), HttpStatusCode.TooManyRequests, ProblemCodes.RateLimited);
    }

    [Theory]
    [InlineData("application/json; charset=bogus")]
    [InlineData("application/json; charset=\"\"")]
    [InlineData("application/json; charset=utf-16")]
    [InlineData("application/json; charset=utf8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/problem+json; charset=x-unknown-9")]
    public async Task Json_in_a_charset_other_than_utf8_is_refused_on_every_json_endpoint(string contentType)
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);
        string[] paths = ["/api/accounts", "/api/sessions", "/api/rooms", $"/api/rooms/{room.Id}/messages", $"/api/rooms/{room.Id}/invitations",
            "/api/devices", $"/api/users/{alice.Name}/messages", "/api/transfers", "/api/broadcasts", "/api/passphrase/sessions"];

        foreach (var path in paths)
        {
            using var body = new StringContent("{\"text\":\"hello\",\"name\":\"x\"}", Encoding.UTF8);
            body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            await Api.AssertProblem(await alice.Http.PostAsync(path, body), HttpStatusCode.UnsupportedMediaType, ProblemCodes.RequestUnsupportedMediaType);
        }
        Assert.Equal(0, await _api.InDatabase(db => db.Messages.CountAsync(m => m.RoomId == room.Id)));
    }

    [Fact]
    public async Task Json_labelled_utf8_in_any_spelling_is_read()
    {
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);

        foreach (var contentType in new[] { "application/json; charset=utf-8", "application/json; charset=UTF-8", "application/json;charset=Utf-8" })
        {
            using var body = new StringContent("{\"text\":\"hello\"}", Encoding.UTF8);
            body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            Assert.Equal(HttpStatusCode.Created, (await alice.Http.PostAsync($"/api/rooms/{room.Id}/messages", body)).StatusCode);
        }
    }

    [Fact]
    public async Task Nul_characters_are_refused_in_bodies_paths_and_queries_on_both_stores()
    {
        // PostgreSQL cannot hold U+0000 in text: without the checks these were 500s there and 2xx/404 on SQLite.
        await using var server = await RunningServer.StartAsync();
        var api = new Api(server);
        var alice = await api.NewUser();
        var room = await api.NewRoom(alice);

        await Api.AssertProblem(await Api.PostRaw(alice.Http, $"/api/rooms/{room.Id}/messages", "{\"text\":\"a\\u0000b\"}"), HttpStatusCode.BadRequest, ProblemCodes.RequestInvalid);
        await Api.AssertProblem(await Api.PostRaw(alice.Http, "/api/sessions", "{\"userName\":\"\\u0000\",\"password\":\"x\"}"), HttpStatusCode.BadRequest, ProblemCodes.RequestInvalid);
        // Kestrel itself refuses a NUL in the path, before the application sees the request.
        Assert.Equal(HttpStatusCode.BadRequest, (await alice.Http.GetAsync($"/api/rooms/{room.Id}%00/messages")).StatusCode);
        await Api.AssertProblem(await alice.Http.GetAsync($"/api/rooms/{room.Id}/messages?after=%00"), HttpStatusCode.BadRequest, ProblemCodes.RequestInvalid);
        var page = await Api.Read<MessagePage>(await alice.Http.GetAsync($"/api/rooms/{room.Id}/messages"));
        Assert.Empty(page.Messages);
    }

    [Fact]
    public async Task Malformed_bodies_are_not_logged_as_server_errors()
    {
        var logs = new CapturedLogs();
        await using var server = await RunningServer.StartAsync(configureServices: logs.AddTo);
        var api = new Api(server);
        var alice = await api.NewUser();
        var room = await api.NewRoom(alice);

        foreach (var body in new[] { "{\"text\":", "{\"text\":5}", "[]", "\u0000garbage" })
            await Api.AssertProblem(await Api.PostRaw(alice.Http, $"/api/rooms/{room.Id}/messages", body), HttpStatusCode.BadRequest, ProblemCodes.RequestInvalid);

        Assert.Empty(logs.Entries);
    }
}
