using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Messaging;
using Parley.Core.Realtime;
using Parley.Testing;

namespace Parley.Server.Tests.Hosting;

public sealed class HostTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Healthz_answers_when_ready()
    {
        var response = await fixture.Server.CreateHttpClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_web_client_is_served_at_the_root()
    {
        var response = await fixture.Server.CreateHttpClient().GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task The_openapi_document_lists_every_http_endpoint()
    {
        using var document = JsonDocument.Parse(await fixture.Server.CreateHttpClient().GetStringAsync("/openapi/v1.json"));
        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet();

        var endpoints = fixture.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } route && !route.StartsWith(LiveEvents.HubPath) && !route.StartsWith("/openapi"))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {OpenApiPath(e.RoutePattern.RawText!)}"))
            .ToList();

        Assert.NotEmpty(endpoints);
        Assert.All(endpoints, endpoint => Assert.Contains(endpoint, documented));
    }

    /// <summary>OpenAPI writes "/a/{id}" for the route "a/{id:int}".</summary>
    private static string OpenApiPath(string route) =>
        "/" + System.Text.RegularExpressions.Regex.Replace(route.Trim('/'), @"\{(\w+):[^}]*\}", "{$1}");

    [Fact]
    public async Task History_and_accounts_survive_a_restart()
    {
        var server = await RunningServer.StartAsync();
        var api = new Api(server);
        var alice = await api.NewUser("alice");
        var room = await api.NewRoom(alice);
        await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("before the restart"));
        await server.StopAsync();

        await using var restarted = await RunningServer.StartAsync(dataDirectory: server.DataDirectory);
        var again = await new Api(restarted).SignIn(alice.Name);
        var http = restarted.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", again.Token);

        var page = await Api.Read<MessagePage>(await http.GetAsync($"/api/rooms/{room.Id}/messages"));
        Assert.Equal("before the restart", Assert.Single(page.Messages).Text);
    }
}
