using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Parley.Server.Accounts;
using Parley.Server.Messaging;
using Parley.Server.Passphrase;

namespace Parley.Server.Hosting;

/// <summary>OTLP export (docs/operations.md); the standard <c>OTEL_EXPORTER_OTLP_*</c> variables work as well.</summary>
public sealed class TelemetryOptions
{
    /// <summary>Where to send traces, metrics and logs over OTLP, e.g. <c>http://collector:4317</c>; none by default.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary><c>Grpc</c> (default, port 4317) or <c>HttpProtobuf</c> (port 4318).</summary>
    public OtlpExportProtocol OtlpProtocol { get; set; } = OtlpExportProtocol.Grpc;
}

/// <summary>
/// The OpenTelemetry SDK over the platform's instruments: Parley's meters and activity sources (one per
/// capability, named <c>Parley.*</c>), ASP.NET Core, HttpClient, runtime and EF Core; Prometheus scraping at
/// <c>/metrics</c>, OTLP when an endpoint is configured; request and security logs; health checks.
/// </summary>
public static class Telemetry
{
    public const string ServiceName = "parley";
    private const string Parley = "Parley.*";

    public static void AddParleyTelemetry(this WebApplicationBuilder builder, ParleyOptions options)
    {
        var services = builder.Services;
        services.AddSingleton<AccountMetrics>();
        services.AddSingleton<MessagingMetrics>();
        services.AddSingleton<PassphraseMetrics>();
        MetricsEndpoint.AddMetricsPort(builder, options.Metrics);
        services.AddParleyHealthChecks(options);

        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName)
                .AddAttributes([new("parley.role", options.Role.ToString().ToLowerInvariant())]))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(Parley, "Microsoft.EntityFrameworkCore")
                    .AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation();
                // Every scrape collects afresh: the default 300 ms cache would show a scraper figures older than its own request.
                if (options.Metrics.Access != MetricsAccess.Off) metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);
            })
            .WithTracing(tracing => tracing.AddSource(Parley)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = request => !IsProbe(request.RequestUri?.AbsolutePath))
                .AddEntityFrameworkCoreInstrumentation());
        if (options.Telemetry.OtlpEndpoint is { } endpoint)
            telemetry.UseOtlpExporter(options.Telemetry.OtlpProtocol, new Uri(endpoint));
        else if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.UseOtlpExporter();
    }

    /// <summary>Request log and the metrics port's guard first (they see every request), then the endpoints.</summary>
    public static void UseParleyTelemetry(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ParleyOptions>>().Value;
        app.UseRequestLog();
        app.UseMetricsPort(options.Metrics);
        app.MapParleyHealthChecks();
        app.MapMetrics();
    }

    /// <summary>Scrapes and health probes come every few seconds; as spans or request log lines they would bury the traffic.</summary>
    internal static bool IsProbe(PathString path) => path.StartsWithSegments(MetricsEndpoint.Path) || path.StartsWithSegments(ParleyHealth.Path);

    private static bool IsProbe(string? path) => path is not null && IsProbe(new PathString(path));
}
