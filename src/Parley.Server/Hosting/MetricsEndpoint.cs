namespace Parley.Server.Hosting;

/// <summary>A family of figures for <c>/metrics</c>, in the Prometheus text format.</summary>
public interface IMetricsSource
{
    string Render();
}

public static class MetricsEndpoint
{
    public static void MapMetrics(this IEndpointRouteBuilder app) =>
        app.MapGet("/metrics", (IEnumerable<IMetricsSource> sources) =>
                TypedResults.Text(string.Concat(sources.Select(s => s.Render())), "text/plain; version=0.0.4"))
            .WithTags("Operations");
}
