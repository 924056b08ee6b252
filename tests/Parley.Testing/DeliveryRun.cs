using System.Collections.Concurrent;
using System.Diagnostics;

namespace Parley.Testing;

/// <summary>
/// A benchmark run of live deliveries (bench/Parley.Bench.Messages and Cluster): send times by message key, delivery
/// latencies from the send, the server CPU it cost, and a wait for every expected delivery.
/// </summary>
public sealed class DeliveryRun(int receiversEach)
{
    private readonly ConcurrentDictionary<string, long> _sentAt = new();
    private readonly ConcurrentBag<double> _latenciesMs = [];
    private int _expected, _delivered;

    public int Count => _sentAt.Count;
    public int Deliveries => _delivered;
    public double Seconds { get; set; }
    public TimeSpan ServerCpu { get; set; }

    public void Sending(string key)
    {
        _sentAt[key] = Stopwatch.GetTimestamp();
        Interlocked.Add(ref _expected, receiversEach);
    }

    public void Delivered(string key)
    {
        if (!_sentAt.TryGetValue(key, out var sentAt)) return;
        _latenciesMs.Add(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
        Interlocked.Increment(ref _delivered);
    }

    public async Task AllDelivered(TimeSpan patience)
    {
        var deadline = Stopwatch.StartNew();
        while (Volatile.Read(ref _delivered) < Volatile.Read(ref _expected))
        {
            if (deadline.Elapsed > patience) throw new TimeoutException($"{_delivered} of {_expected} deliveries arrived.");
            await Task.Delay(10);
        }
    }

    public double Percentile(double p)
    {
        var sorted = _latenciesMs.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[(int)Math.Round(p * (sorted.Length - 1))];
    }
}
