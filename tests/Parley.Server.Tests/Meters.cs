using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// Reads one server's meters. A collector bound to the server's <see cref="IMeterFactory"/> sees only that server's
/// measurements, although every server of the test process creates meters of the same names.
/// </summary>
public static class Meters
{
    public static MetricCollector<long> Collect(RunningServer server, string meter, string instrument) =>
        new(server.Services.GetRequiredService<IMeterFactory>(), meter, instrument);

    /// <summary>The sum of the measurements recorded since the collector started, all of them or those with the tag.</summary>
    public static long Sum(this MetricCollector<long> collector, string? tag = null, string? value = null) =>
        collector.GetMeasurementSnapshot()
            .Where(m => tag is null || m.ContainsTags(new KeyValuePair<string, object?>(tag, value)))
            .Sum(m => m.Value);
}
