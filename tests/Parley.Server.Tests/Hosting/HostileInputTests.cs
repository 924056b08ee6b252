using System.Net;
using Microsoft.EntityFrameworkCore;
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
}
