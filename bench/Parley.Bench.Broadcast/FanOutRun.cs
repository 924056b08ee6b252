using System.Diagnostics;

namespace Parley.Bench.Broadcast;

/// <summary>One way of broadcasting to every connected receiver: Parley's, or a bare SignalR hub's.</summary>
internal interface IBroadcaster
{
    /// <summary>How many broadcasts it can send (Parley: one per ticket issued beforehand).</summary>
    int Capacity { get; }

    /// <summary>What receivers read from the event of broadcast <paramref name="index"/> to say which one they got.</summary>
    string KeyOf(int index);

    Task SendAsync(int index);
}

/// <summary>
/// Sustained broadcasting: a few broadcasts in flight at once, each done when every receiver has it,
/// for a warm-up and then a timed stretch (bounded by the time budget and by the broadcaster's capacity).
/// </summary>
internal static class FanOutRun
{
    public const int InFlight = 4;
    private const int WarmUp = 20;
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(30);

    public sealed record Result(int Broadcasts, TimeSpan Elapsed, int Receivers, double P50Ms, double P99Ms)
    {
        public double BroadcastsPerSecond => Broadcasts / Elapsed.TotalSeconds;
        public double DeliveriesPerSecond => BroadcastsPerSecond * Receivers;
    }

    public static async Task<Result> RunAsync(IBroadcaster broadcaster, DeliveryProbe probe, TimeSpan budget)
    {
        await SendAllAsync(broadcaster, probe, 0, WarmUp, recorded: false, timeIsUp: () => false);
        var watch = Stopwatch.StartNew();
        var sent = await SendAllAsync(broadcaster, probe, WarmUp, broadcaster.Capacity, recorded: true, timeIsUp: () => watch.Elapsed >= budget);
        var elapsed = watch.Elapsed;
        var (p50, p99) = probe.Latencies();
        return new Result(sent, elapsed, probe.ReceiversEach, p50, p99);
    }

    /// <returns>How many broadcasts were sent (and fully delivered).</returns>
    private static async Task<int> SendAllAsync(IBroadcaster broadcaster, DeliveryProbe probe, int from, int to, bool recorded, Func<bool> timeIsUp)
    {
        var sent = 0;
        await Parallel.ForEachAsync(Enumerable.Range(from, to - from), new ParallelOptions { MaxDegreeOfParallelism = InFlight }, async (index, _) =>
        {
            if (timeIsUp()) return;
            var delivered = probe.Expect(broadcaster.KeyOf(index), recorded);
            await broadcaster.SendAsync(index);
            await delivered.WaitAsync(DeliveryTimeout);
            Interlocked.Increment(ref sent);
        });
        return sent;
    }
}
