using Parley.Client.Views;
using Parley.Core.Views;

namespace Parley.Client.Tests.Views;

/// <summary>
/// <see cref="ViewsClient.WatchAsync"/> on a fake clock against <see cref="FakeViewServer"/>: the reports come on their
/// periods with counters from 1, say what was received, and the download stays a few seconds ahead, never the whole video.
/// </summary>
public sealed class WatchPacingTests : IDisposable
{
    private const long DurationMs = 6000;
    private static readonly TimeSpan Ahead = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Reports_come_on_their_timers_and_the_last_sealed_one_ends_the_play()
    {
        var (server, record) = await WatchAsync(300_000);

        var sealedReports = server.Reports.Where(r => r.Sealed).ToList();
        var plainReports = server.Reports.Where(r => !r.Sealed).ToList();
        Assert.Equal([1000L, 2000, 3000, 4000, 5000, 6000], sealedReports.Select(r => r.AtMs));
        Assert.Equal([2000L, 4000, 6000], plainReports.Select(r => r.AtMs));
        Assert.Equal([1u, 2, 3, 4, 5, 6], sealedReports.Select(r => r.Report.Counter));
        Assert.Equal([1u, 2, 3], plainReports.Select(r => r.Report.Counter));
        // The position is the time played: the fake network delivers at once, so playback never stalls.
        Assert.All(server.Reports, r => Assert.Equal(Math.Min(r.AtMs, DurationMs), r.Report.PositionMs));
        Assert.All(server.Reports, r => Assert.Equal(r.AtMs == DurationMs, r.Report.Flags.HasFlag(PlayReportFlags.Ended)));
        Assert.All(server.Reports.Where(r => r.AtMs < DurationMs), r => Assert.Equal(PlayReportFlags.Playing, r.Report.Flags));
        Assert.Equal(DurationMs, server.EndedAtMs);
        Assert.Equal(PlayVerdicts.Legal, record.Verdict);
    }

    [Fact]
    public async Task Reported_bytes_are_the_bytes_received_and_the_buffer_stays_a_few_seconds_ahead()
    {
        const int size = 600_000;
        var (server, _) = await WatchAsync(size);

        Assert.All(server.Reports, r => Assert.Equal(r.ServedBefore, r.Report.BytesDownloaded));
        Assert.Equal(size, server.BytesServed);
        Assert.Equal(size, server.Reports[^1].Report.BytesDownloaded);
        // Contiguous ranges, each starting where the previous ended, none past the position plus the buffer ahead.
        long next = 0;
        foreach (var (atMs, range) in server.Ranges)
        {
            Assert.Equal(next, range.From);
            next = range.To + 1;
            var aheadOfPosition = (double)next / size * DurationMs - atMs;
            Assert.InRange(aheadOfPosition, Ahead.TotalMilliseconds / 2, Ahead.TotalMilliseconds + 1);
        }
        Assert.True(server.Ranges.Count >= DurationMs / Ahead.TotalMilliseconds * 2 - 1, $"only {server.Ranges.Count} requests: downloaded too far ahead");
    }

    [Fact]
    public async Task Stopping_a_watch_ends_the_play_at_once()
    {
        using var stop = new CancellationTokenSource();
        var watch = Start(300_000, stop.Token);

        await _time.StepAsync(watch, Step, Loops, TimeSpan.FromSeconds(2.5));
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => watch);
        Assert.Equal(2500, _server!.EndedAtMs);
        Assert.Equal(2, _server.Reports.Count(r => r.Sealed));
    }

    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private readonly SteppedTime _time = new();
    private readonly DeviceKey _device = DeviceKey.Create();
    private FakeViewServer? _server;
    private ParleyClient? _client;
    private long _received;
    private long _size;

    /// <summary>How many loops of the watch wait on timers when it is idle: the download's until everything arrived, and the reports'.</summary>
    private int Loops() => Volatile.Read(ref _received) == _size ? 1 : 2;

    private async Task<(FakeViewServer Server, PlayRecordDto Record)> WatchAsync(int size)
    {
        var record = await _time.RunAsync(Start(size, CancellationToken.None), Step, Loops, TimeSpan.FromMinutes(1));
        return (_server!, record);
    }

    private Task<PlayRecordDto> Start(int size, CancellationToken ct)
    {
        var video = new byte[size];
        Random.Shared.NextBytes(video);
        _size = size;
        _server = new FakeViewServer(video, DurationMs, _time);
        _client = new ParleyClient(new Uri("http://views.test"), "token", _server);
        _client.Views.DeviceKey = _device;
        var progress = new SyncProgress(p => Volatile.Write(ref _received, p.BytesReceived));
        return _client.Views.WatchAsync("m_video", new WatchOptions { Time = _time, BufferAhead = Ahead }, progress, ct);
    }

    public void Dispose()
    {
        _client?.Dispose();
        _server?.Dispose();
        _device.Dispose();
    }

    /// <summary>Reports on the caller's thread (<see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<WatchProgress> report) : IProgress<WatchProgress>
    {
        public void Report(WatchProgress value) => report(value);
    }
}
