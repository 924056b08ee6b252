using System.Net;
using System.Net.Sockets;
using Parley.Core.Scanning;
using Parley.Server.Scanning;
using static Parley.Server.Tests.Scanning.TestScanner;

namespace Parley.Server.Tests.Scanning;

/// <summary>
/// The supervisor's side: a decoder that crashes, hangs, spins or allocates without end is a finding of its own,
/// and the next file is scanned by a fresh worker; the worker cannot reach the network nor see the data folder.
/// </summary>
public sealed class SupervisionTests
{
    [Fact]
    public async Task A_crash_is_abnormal_and_the_next_file_gets_a_new_worker()
    {
        await using var scanner = new TestScanner();
        var finding = AssertFinding(await scanner.ScanAsync(Hook("crash"), "image/png"), ScanFindingCodes.DecoderAbnormal, WorkerTestHooks.Detector);
        Assert.Contains("SIGABRT", finding.Detail);
        AssertClean(await scanner.ScanAsync(TestMedia.Png(), "image/png"), "skia", "magick");
    }

    [Fact]
    public async Task A_hang_hits_the_wall_clock_limit_and_the_worker_is_replaced()
    {
        await using var scanner = new TestScanner(o => o.FileTimeout = TimeSpan.FromSeconds(3));
        AssertClean(await scanner.ScanAsync(TestMedia.Png(), "image/png"), "skia", "magick"); // started well within the limit
        var result = await scanner.ScanAsync(Hook("hang"), "image/png");
        var finding = AssertFinding(result, ScanFindingCodes.DecoderAbnormal, WorkerTestHooks.Detector);
        Assert.Contains("did not finish within 3 s", finding.Detail);
        Assert.False(result.WorkerUsable);
        AssertClean(await scanner.ScanAsync(TestMedia.Jpeg(), "image/jpeg"), "skia", "magick");
    }

    [Fact]
    public async Task Burning_cpu_past_the_per_file_budget_is_stopped_by_rlimit_cpu()
    {
        await using var scanner = new TestScanner(o =>
        {
            o.CpuSecondsPerFile = 1;
            o.FileTimeout = TimeSpan.FromSeconds(60);
        });
        var finding = AssertFinding(await scanner.ScanAsync(Hook("spin"), "image/png"), ScanFindingCodes.DecoderAbnormal, WorkerTestHooks.Detector);
        Assert.Contains("SIGXCPU", finding.Detail);
        AssertClean(await scanner.ScanAsync(TestMedia.Png(), "image/png"), "skia", "magick");
    }

    [Fact]
    public async Task Allocating_without_end_meets_the_memory_limit()
    {
        await using var scanner = new TestScanner(o =>
        {
            o.MemoryBytes = 640L << 20;
            o.FileTimeout = TimeSpan.FromSeconds(60); // page faults on a busy machine can take a while
        });
        var result = await scanner.ScanAsync(Hook("allocate"), "image/png");
        var finding = AssertFinding(result, ScanFindingCodes.DecoderAbnormal, WorkerTestHooks.Detector);
        Assert.Contains("out of memory", finding.Detail);
        Assert.InRange(result.PeakMemoryBytes, 1, 640L << 20);
        Assert.False(result.WorkerUsable); // recycled after a limit breach
        AssertClean(await scanner.ScanAsync(TestMedia.Png(), "image/png"), "skia", "magick");
    }

    [Fact]
    public async Task Without_the_option_a_hook_file_is_just_data()
    {
        await using var scanner = new TestScanner(o => o.TestHooks = false);
        var result = await scanner.ScanAsync(Hook("crash"), "application/octet-stream");
        Assert.DoesNotContain(result.Findings, f => f.Code == ScanFindingCodes.DecoderAbnormal);
        Assert.True(result.WorkerUsable);
    }

    [Fact]
    public async Task The_worker_cannot_open_a_tcp_connection_to_a_listening_loopback_port()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        await using (var isolated = new TestScanner(o => o.Isolation = NetworkIsolation.Required))
        {
            var finding = AssertFinding(await isolated.ScanAsync(Hook($"connect:{port}"), "image/png"), ScanFindingCodes.DecoderAbnormal, WorkerTestHooks.Detector);
            Assert.Contains("Could not connect", finding.Detail);
            Assert.True(isolated.Pool.Launch.IsNetworkIsolated);
            Assert.False(listener.Pending());
        }

        // The same hook without isolation does reach the listener: the test can tell the difference.
        await using var open = new TestScanner(o => o.Isolation = NetworkIsolation.None);
        var reached = AssertFinding(await open.ScanAsync(Hook($"connect:{port}"), "image/png"), ScanFindingCodes.DecoderAbnormal, WorkerTestHooks.Detector);
        Assert.Contains("Connected", reached.Detail);
        Assert.True(listener.Pending());
    }

    [Fact]
    public async Task The_worker_finds_an_empty_folder_where_the_data_folder_is()
    {
        var data = Directory.CreateTempSubdirectory("parley-hidden-test-").FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "node.key"), "secret");
        try
        {
            await using (var isolated = new TestScanner(o => (o.Isolation, o.HiddenFolders) = (NetworkIsolation.Required, [data])))
            {
                var finding = AssertFinding(await isolated.ScanAsync(Hook($"read:{data}"), "image/png"), ScanFindingCodes.DecoderAbnormal, WorkerTestHooks.Detector);
                Assert.Equal($"Sees in {data}: [].", finding.Detail);
            }
            await using var open = new TestScanner(o => (o.Isolation, o.HiddenFolders) = (NetworkIsolation.None, [data]));
            var seen = AssertFinding(await open.ScanAsync(Hook($"read:{data}"), "image/png"), ScanFindingCodes.DecoderAbnormal, WorkerTestHooks.Detector);
            Assert.Equal($"Sees in {data}: [node.key].", seen.Detail);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_hidden_folder_holding_the_worker_program_stays_visible_rather_than_stopping_every_scan()
    {
        var parentOfProgram = Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory))!;
        await using var scanner = new TestScanner(o => (o.Isolation, o.HiddenFolders) = (NetworkIsolation.Required, [parentOfProgram]));
        AssertClean(await scanner.ScanAsync(TestMedia.Png(), "image/png"), "skia", "magick");
    }

    [Fact]
    public async Task A_file_larger_than_the_worker_accepts_fails_closed()
    {
        await using var scanner = new TestScanner(o => o.MaxFileBytes = 1000);
        AssertFinding(await scanner.ScanAsync(new byte[1001], "image/png"), ScanFindingCodes.ScanUnavailable, "worker");
    }

    [Fact]
    public async Task An_attachment_goes_to_no_worker_so_neither_its_size_nor_a_missing_worker_refuses_it()
    {
        await using var scanner = new TestScanner(o => { o.MaxFileBytes = 1000; o.WorkerCommand = "/nonexistent/parley"; });
        var document = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("minutes of the meeting\n", 200)));

        AssertClean(await scanner.ScanAsync(document, "text/plain", "minutes.txt"));
        // The same bytes claimed as a picture still need the worker, which is missing here: fail closed.
        AssertFinding(await scanner.ScanAsync(document, "image/png", "minutes.png"), ScanFindingCodes.ScanUnavailable, "worker");
    }

    [Fact]
    public async Task A_worker_that_cannot_start_fails_closed()
    {
        await using var scanner = new TestScanner(o => o.WorkerCommand = "/nonexistent/parley");
        AssertFinding(await scanner.ScanAsync(TestMedia.Png(), "image/png"), ScanFindingCodes.ScanUnavailable, "worker");
    }
}
