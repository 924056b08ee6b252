using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Parley.Core.Problems;
using Parley.Server.ApiDocs;
using Parley.Server.Problems;

namespace Parley.Server.Hosting;

/// <summary>A family of figures for <c>/metrics</c>, in the Prometheus text format.</summary>
public interface IMetricsSource
{
    string Render();
}

/// <summary>Who may read <c>/metrics</c>: the figures describe the deployment's traffic, which is nobody else's business.</summary>
public enum MetricsAccess { Loopback, Token, Off }

public static class MetricsEndpoint
{
    public static void MapMetrics(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<ParleyOptions>>().Value.Metrics;
        if (options.Access == MetricsAccess.Off) return;
        if (options.Access == MetricsAccess.Token && string.IsNullOrWhiteSpace(options.Token))
            throw new InvalidOperationException("Parley:Metrics:Access is Token but Parley:Metrics:Token is not set.");
        app.MapGet("/metrics", (HttpContext context, IEnumerable<IMetricsSource> sources) =>
                Allows(options, context.Connection.RemoteIpAddress, context.Request.Headers.Authorization)
                    ? TypedResults.Text(string.Concat(sources.Select(s => s.Render())), "text/plain; version=0.0.4")
                    : (IResult)Problem.Forbidden(ProblemCodes.MetricsForbidden, options.Access == MetricsAccess.Token
                        ? "Metrics need Authorization: Bearer with the configured metrics token."
                        : "Metrics answer only clients on this machine (Parley:Metrics:Access)."))
            .WithTags("Operations").WithName("GetMetrics").WithSummary("Metrics (Prometheus)")
            .WithDescription("The server's figures in the Prometheus text format, for the clients Parley:Metrics:Access allows.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain").ProducesProblems(ProblemCodes.MetricsForbidden);
    }

    public static bool Allows(MetricsOptions options, IPAddress? client, string? authorization) => options.Access switch
    {
        MetricsAccess.Loopback => client is not null && IPAddress.IsLoopback(client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client),
        MetricsAccess.Token => authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(
                SHA256.HashData(Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim())),
                SHA256.HashData(Encoding.UTF8.GetBytes(options.Token!))),
        _ => false,
    };
}
