using System.Net;
using Parley.Testing;

namespace Parley.Server.Tests.Telemetry;

/// <summary>Liveness, readiness (database, bus, other nodes) and the compatible <c>/healthz</c>.</summary>
public sealed class HealthTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private const string NodeKey = "health-test-node-key-0123456789";

    private static async Task<(HttpStatusCode, string)> Probe(RunningServer server, string path)
    {
        using var response = await server.CreateHttpClient().GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/healthz/live")]
    [InlineData("/healthz/ready")]
    [InlineData("/healthz")]
    public async Task A_running_server_is_live_and_ready(string path) =>
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await Probe(fixture.Server, path));

    [Fact]
    public async Task Without_its_database_a_server_is_live_but_not_ready()
    {
        await using var server = await RunningServer.StartAsync();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await Probe(server, "/healthz/ready"));

        await server.RemoveDatabaseAsync();

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await Probe(server, "/healthz/ready"));
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await Probe(server, "/healthz"));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await Probe(server, "/healthz/live"));
    }

    [Fact]
    public async Task An_edge_whose_central_is_down_is_degraded_until_central_answers()
    {
        var centralPort = FreePorts.Next();
        await using var edge = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Role"] = "Edge", ["Parley:CentralUrl"] = $"http://127.0.0.1:{centralPort}/", ["Parley:Nodes:Key"] = NodeKey,
        });

        // Degraded still answers 200: the edge keeps serving, uploading locally what central would have had.
        Assert.Equal((HttpStatusCode.OK, "Degraded"), await Probe(edge, "/healthz/ready"));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await Probe(edge, "/healthz/live"));

        await using var central = await RunningServer.StartAsync(new Dictionary<string, string>
            { ["Parley:Role"] = "Central", ["Parley:Nodes:Key"] = NodeKey }, port: centralPort);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await Probe(edge, "/healthz/ready"));
    }

    [Fact]
    public async Task A_node_on_a_redis_bus_is_not_ready_without_redis()
    {
        var redis = await RedisServer.StartAsync();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Bus:Connection"] = redis.Connection });
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await Probe(server, "/healthz/ready"));

        await redis.DisposeAsync();

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await Probe(server, "/healthz/ready"));
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await Probe(server, "/healthz/live"));
    }
}
