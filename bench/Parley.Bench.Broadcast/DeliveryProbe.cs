using System.Collections.Concurrent;
using System.Diagnostics;

namespace Parley.Bench.Broadcast;

/// <summary>
/// Follows broadcasts in flight: each is named by a key its receivers can read from the event, counts
/// its deliveries, and records each delivery's latency from the moment the broadcast was sent.
/// </summary>
internal sealed class DeliveryProbe(int receiversEach)
{
    public int ReceiversEach { get; } = receiversEach;

    private sealed class Flight(long sentAt, int receivers, bool recorded)
    {
        public readonly long SentAt = sentAt;
        public readonly bool Recorded = recorded;
        public int Remaining = receivers;
        public readonly TaskCompletionSource AllDelivered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private readonly ConcurrentDictionary<string, Flight> _flights = new();
    private readonly List<double> _latenciesMs = [];

    /// <summary>Call just before sending; the task completes when every receiver has the broadcast.</summary>
    public Task Expect(string key, bool recorded)
    {
        var flight = new Flight(Stopwatch.GetTimestamp(), ReceiversEach, recorded);
        _flights[key] = flight;
        return flight.AllDelivered.Task;
    }

    /// <summary>From a receiver's event handler.</summary>
    public void Delivered(string key)
    {
        if (!_flights.TryGetValue(key, out var flight)) return;
        var latency = Stopwatch.GetElapsedTime(flight.SentAt).TotalMilliseconds;
        if (flight.Recorded)
            lock (_latenciesMs) _latenciesMs.Add(latency);
        if (Interlocked.Decrement(ref flight.Remaining) == 0 && _flights.TryRemove(key, out _)) flight.AllDelivered.TrySetResult();
    }

    public (double P50, double P99) Latencies()
    {
        lock (_latenciesMs)
        {
            var sorted = _latenciesMs.Order().ToArray();
            return (Percentile(sorted, 0.50), Percentile(sorted, 0.99));
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(p * sorted.Length) - 1)];
}
