using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Parley.Server.Bus;
using Parley.Server.Storage;

namespace Parley.Server.Hosting;

/// <summary>
/// Health with the framework's checks. <c>/healthz/live</c>: the process answers. <c>/healthz/ready</c> (and
/// <c>/healthz</c>, kept for existing probes): the database answers with Parley's schema, the Redis bus when one is
/// configured, and the other nodes this one calls. A node that is down makes this one Degraded (still 200), not
/// Unhealthy: an edge uploads locally without central, and a broadcast node still serves the tickets it holds.
/// </summary>
public static class ParleyHealth
{
    public const string Path = "/healthz";
    private const string Ready = "ready";
    public const string PeerClient = "parley.health";

    public static void AddParleyHealthChecks(this IServiceCollection services, ParleyOptions options)
    {
        // A query, not just a connection: a database that lost its tables (or a new empty SQLite file) is not ready.
        var checks = services.AddHealthChecks().AddDbContextCheck<ParleyDbContext>("database", tags: [Ready],
            customTestQuery: async (db, ct) => await db.Users.AnyAsync(ct) || true);
        if (options.Bus.Connection is not null) checks.AddCheck<RedisBusHealthCheck>("bus", tags: [Ready]);

        var peers = new[]
        {
            ("central", options.Role == NodeRole.Edge ? options.CentralUrl : null),
            ("upload-node", options.Role == NodeRole.Broadcast ? options.Broadcast.UploadUrl : null),
            ("broadcast-node", options.Role == NodeRole.Upload ? options.Broadcast.BroadcastUrl : null),
        };
        foreach (var (name, url) in peers)
        {
            if (url is null) continue;
            checks.Add(new HealthCheckRegistration(name, provider => new PeerHealthCheck(provider.GetRequiredService<IHttpClientFactory>(), url),
                HealthStatus.Degraded, [Ready], TimeSpan.FromSeconds(5)));
        }
        services.AddHttpClient(PeerClient);
    }

    public static void MapParleyHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(Path + "/live", new HealthCheckOptions { Predicate = _ => false });
        var ready = new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) };
        app.MapHealthChecks(Path + "/ready", ready);
        app.MapHealthChecks(Path, ready);
    }

    /// <summary>Asks the other node whether it is live (not ready: two partner nodes would otherwise ask each other forever).</summary>
    private sealed class PeerHealthCheck(IHttpClientFactory clients, string url) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            var probe = new Uri(new Uri(url.TrimEnd('/') + "/"), Path.TrimStart('/') + "/live");
            try
            {
                using var response = await clients.CreateClient(PeerClient).GetAsync(probe, ct);
                return response.IsSuccessStatusCode
                    ? HealthCheckResult.Healthy()
                    : new HealthCheckResult(context.Registration.FailureStatus, $"{probe} answered {(int)response.StatusCode}.");
            }
            catch (HttpRequestException e)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, $"{probe} does not answer.", e);
            }
        }
    }

    private sealed class RedisBusHealthCheck(NodeBus bus) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
        {
            try
            {
                var latency = await ((RedisBus)bus).PingAsync();
                return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:0} ms.");
            }
            catch (StackExchange.Redis.RedisException e)
            {
                return new HealthCheckResult(context.Registration.FailureStatus, "Redis does not answer.", e);
            }
        }
    }
}
