using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Parley.Core.Accounts;
using Parley.Core.Json;
using Parley.Core.Problems;
using Parley.Server.Hosting;
using Parley.Testing;

namespace Parley.Server.Tests.Telemetry;

/// <summary>
/// What leaves the server for operators' tools: the Prometheus scrape on its own port, OTLP export, the request log.
/// (Loopback, token and off access to <c>/metrics</c> are in HostTests.)
/// </summary>
public sealed class ScrapeAndExportTests
{
    [Fact]
    public async Task A_metrics_port_serves_metrics_to_anyone_reaching_it_and_nothing_else()
    {
        var port = FreePorts.Next();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string>
            { ["Parley:Metrics:Access"] = "Port", ["Parley:Metrics:Port"] = port.ToString() });
        var anonymous = server.CreateHttpClient();
        await anonymous.PostAsJsonAsync("/api/sessions", new SignInRequest("nobody", "guess"), ParleyJson.Options);
        using var scraper = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var metrics = await scraper.GetStringAsync("/metrics");

        Assert.Matches(@"(?m)^parley_accounts_sign_in_failures_total\{[^}]*reason=""unknown_user""[^}]*\} [1-9]", metrics);
        Assert.Contains("http_server_request_duration_seconds", metrics); // ASP.NET Core's own meters come along
        await Api.AssertProblem(await anonymous.GetAsync("/metrics"), HttpStatusCode.NotFound, ProblemCodes.NotFound);
        await Api.AssertProblem(await scraper.GetAsync("/api/rooms"), HttpStatusCode.NotFound, ProblemCodes.NotFound);
        await Api.AssertProblem(await scraper.GetAsync("/"), HttpStatusCode.NotFound, ProblemCodes.NotFound);
    }

    [Fact]
    public async Task A_metrics_port_or_token_that_is_missing_stops_the_start()
    {
        var port = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Metrics:Access"] = "Port" }));
        Assert.Contains("Parley:Metrics:Port", port.Message);
        var token = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Metrics:Access"] = "Token" }));
        Assert.Contains("Parley:Metrics:Token", token.Message);
    }

    [Theory]
    [InlineData("Parley:Telemetry:OtlpEndpoint", "Parley:Telemetry:OtlpProtocol", "HttpProtobuf")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf")]
    public async Task Traces_metrics_and_logs_are_exported_over_otlp_when_an_endpoint_is_configured(string endpointKey, string protocolKey, string protocol)
    {
        await using var collector = OtlpCollector.Start();
        var server = await RunningServer.StartAsync(new Dictionary<string, string>
            { [endpointKey] = collector.Address, [protocolKey] = protocol });
        await using (server) // a refused sign-in: a request, a counter and a security log entry
            await server.CreateHttpClient().PostAsJsonAsync("/api/sessions", new SignInRequest("nobody", "guess"), ParleyJson.Options);
        // Stopping flushes the exporters: by now the collector has had every batch.

        Assert.Contains("POST /v1/traces", collector.Requests);
        Assert.Contains("POST /v1/metrics", collector.Requests);
        Assert.Contains("POST /v1/logs", collector.Requests);
    }

    [Fact]
    public async Task Requests_but_probes_are_logged_with_method_path_status_and_time_but_no_query_string()
    {
        await using var server = await RunningServer.StartAsync(configureServices: services =>
        {
            services.AddLogging(logging => logging.AddFakeLogging());
            services.Configure<LoggerFilterOptions>(filters => filters.Rules.Add(new LoggerFilterRule(null, RequestLog.Category, LogLevel.Information, null)));
        });

        await server.CreateHttpClient().GetAsync("/healthz/ready");
        await server.CreateHttpClient().GetAsync("/metrics");
        await server.CreateHttpClient().GetAsync("/api/rooms?access_token=secret-in-query");

        var logged = Assert.Single(server.Services.GetFakeLogCollector().GetSnapshot(), r => r.Category == RequestLog.Category);
        Assert.Equal(LogLevel.Information, logged.Level);
        Assert.Equal(("GET", "/api/rooms", "401"), (logged.GetStructuredStateValue("Method"), logged.GetStructuredStateValue("Path"), logged.GetStructuredStateValue("StatusCode")));
        Assert.True(double.Parse(logged.GetStructuredStateValue("ElapsedMilliseconds")!, System.Globalization.CultureInfo.InvariantCulture) >= 0);
        Assert.DoesNotContain("secret-in-query", logged.Message);
    }
}
