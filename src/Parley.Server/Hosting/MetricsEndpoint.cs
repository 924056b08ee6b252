using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Parley.Core.Problems;
using Parley.Server.ApiDocs;
using Parley.Server.Problems;

namespace Parley.Server.Hosting;

/// <summary>Who may read <c>/metrics</c>: the figures describe the deployment's traffic, which is nobody else's business.</summary>
public enum MetricsAccess { Loopback, Token, Port, Off }

/// <summary>
/// <c>/metrics</c>: OpenTelemetry's Prometheus exporter, behind the access rule of <c>Parley:Metrics</c>.
/// The rule runs in the exporter's own branch, so a refused scrape never triggers a collection.
/// </summary>
public static class MetricsEndpoint
{
    public const string Path = "/metrics";

    /// <summary>Listens on the metrics port as well, when there is one (<see cref="MetricsAccess.Port"/>).</summary>
    public static void AddMetricsPort(WebApplicationBuilder builder, MetricsOptions options)
    {
        if (options.Access == MetricsAccess.Token && string.IsNullOrWhiteSpace(options.Token))
            throw new InvalidOperationException("Parley:Metrics:Access is Token but Parley:Metrics:Token is not set.");
        if (options.Access != MetricsAccess.Port) return;
        if (options.Port is not (> 0 and <= 65535))
            throw new InvalidOperationException("Parley:Metrics:Access is Port but Parley:Metrics:Port is not a port number (1–65535).");
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, $"{urls};http://+:{options.Port}");
    }

    /// <summary>The metrics port answers <c>/metrics</c> and nothing else: the API is not exposed where the scraper is.</summary>
    public static void UseMetricsPort(this IApplicationBuilder app, MetricsOptions options)
    {
        if (options.Access != MetricsAccess.Port) return;
        app.Use((context, next) => context.Connection.LocalPort == options.Port && !context.Request.Path.Equals(Path)
            ? Problem.WriteAsync(context, new Refusal(ProblemCodes.NotFound, "The metrics port serves /metrics only."))
            : next(context));
    }

    public static void MapMetrics(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<ParleyOptions>>().Value.Metrics;
        if (options.Access == MetricsAccess.Off) return;
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, branch => branch.Use((context, next) =>
        {
            var connection = context.Connection;
            if (Allows(options, connection.RemoteIpAddress, context.Request.Headers.Authorization, connection.LocalPort)) return next(context);
            return options.Access == MetricsAccess.Port
                ? Problem.WriteAsync(context, new Refusal(ProblemCodes.NotFound, $"Metrics are served on port {options.Port}."))
                : Problem.WriteAsync(context, new Refusal(ProblemCodes.MetricsForbidden, options.Access == MetricsAccess.Token
                    ? "Metrics need Authorization: Bearer with the configured metrics token."
                    : "Metrics answer only clients on this machine (Parley:Metrics:Access)."));
        }), optionsName: null);
    }

    /// <param name="localPort">The port the request came in on; only <see cref="MetricsAccess.Port"/> looks at it.</param>
    public static bool Allows(MetricsOptions options, IPAddress? client, string? authorization, int localPort = 0) => options.Access switch
    {
        MetricsAccess.Loopback => client is not null && IPAddress.IsLoopback(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client),
        MetricsAccess.Token => authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim())),
                SHA256.HashData(Encoding.UTF8.GetBytes(options.Token!))),
        MetricsAccess.Port => localPort == options.Port,
        _ => false,
    };
}
