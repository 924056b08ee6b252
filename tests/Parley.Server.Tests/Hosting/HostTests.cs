using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Server.Hosting;
using Parley.Server.Storage;
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
            // The API reference page and its scripts are a view of the document, not part of the API.
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
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

    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_data_folder_and_everything_in_it_is_owner_only()
    {
        await using var server = await RunningServer.StartAsync();
        var api = new Api(server);
        var alice = await api.NewUser("alice");
        var room = await api.NewRoom(alice);
        await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("hello"));
        await Transfer.TransferDriver.Send(alice, Transfer.TransferDriver.RandomPicture(100_000), room: room.Id);
        await Broadcast.BroadcastDriver.Ticket(alice, room.Id, Broadcast.BroadcastDriver.Picture());

        var folder = new DirectoryInfo(server.DataDirectory);
        var files = folder.EnumerateFiles("*", SearchOption.AllDirectories).Select(f => f.Name).ToList();
        if (RunningServer.Store == StoreProvider.Sqlite)
        {
            Assert.Contains("parley.db", files);
            Assert.Contains("parley.db-wal", files);
        }
        Assert.Contains("node.key", files);
        Assert.True(files.Count >= 3, string.Join(", ", files)); // node.key and chunk files at least
        AssertOwnerOnly(folder);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_data_folder_left_readable_is_tightened_on_start()
    {
        var data = Path.Combine(Path.GetTempPath(), "parley-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(data, "blobs", "ab"));
        File.WriteAllText(Path.Combine(data, "blobs", "ab", "old-blob"), "bytes");
        File.WriteAllText(Path.Combine(data, "notes.txt"), "operator notes");
        foreach (var path in new[] { data, Path.Combine(data, "blobs"), Path.Combine(data, "blobs", "ab") })
            File.SetUnixFileMode(path, OwnerOnlyFolder | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.SetUnixFileMode(Path.Combine(data, "notes.txt"), OwnerOnlyFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var server = await RunningServer.StartAsync(dataDirectory: data);

        AssertOwnerOnly(new DirectoryInfo(data));
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void AssertOwnerOnly(DirectoryInfo folder)
    {
        Assert.True(folder.UnixFileMode == OwnerOnlyFolder, $"{folder.FullName} is {folder.UnixFileMode}");
        foreach (var entry in folder.EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo child) AssertOwnerOnly(child);
            else Assert.True(entry.UnixFileMode == OwnerOnlyFile, $"{entry.FullName} is {entry.UnixFileMode}");
        }
    }

    [Fact]
    public async Task Metrics_answer_loopback_clients_by_default_and_nobody_else()
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Server.CreateHttpClient().GetAsync("/metrics")).StatusCode);

        var byDefault = new MetricsOptions();
        Assert.True(MetricsEndpoint.Allows(byDefault, IPAddress.Loopback, null));
        Assert.True(MetricsEndpoint.Allows(byDefault, IPAddress.IPv6Loopback, null));
        Assert.True(MetricsEndpoint.Allows(byDefault, IPAddress.Parse("::ffff:127.0.0.1"), null));
        Assert.False(MetricsEndpoint.Allows(byDefault, IPAddress.Parse("192.0.2.7"), null));
        Assert.False(MetricsEndpoint.Allows(byDefault, IPAddress.Parse("::ffff:192.0.2.7"), null));
        Assert.False(MetricsEndpoint.Allows(byDefault, null, null));
    }

    [Fact]
    public async Task Metrics_can_require_a_token_or_be_off()
    {
        await using (var tokenServer = await RunningServer.StartAsync(new Dictionary<string, string>
                     { ["Parley:Metrics:Access"] = "Token", ["Parley:Metrics:Token"] = "scrape-secret" }))
        {
            var http = tokenServer.CreateHttpClient();
            await Api.AssertProblem(await http.GetAsync("/metrics"), HttpStatusCode.Forbidden, ProblemCodes.MetricsForbidden);
            http.DefaultRequestHeaders.Authorization = new("Bearer", "wrong");
            await Api.AssertProblem(await http.GetAsync("/metrics"), HttpStatusCode.Forbidden, ProblemCodes.MetricsForbidden);
            http.DefaultRequestHeaders.Authorization = new("Bearer", "scrape-secret");
            Assert.Contains("http_server_request_duration_seconds", await http.GetStringAsync("/metrics"));
        }

        await using var off = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Metrics:Access"] = "Off" });
        await Api.AssertProblem(await off.CreateHttpClient().GetAsync("/metrics"), HttpStatusCode.NotFound, ProblemCodes.NotFound);
    }
}
