using System.Diagnostics;
using System.Text.Json;
using Parley.Core.Scanning;

namespace Parley.Server.Scanning;

/// <summary>What the worker answered for one file, and whether it can take the next one.</summary>
public sealed record WorkerScanResult(
    IReadOnlyList<ScanFinding> Findings, IReadOnlyList<DetectorTiming> Timings, long PeakMemoryBytes, bool WorkerUsable = true, ContainerFacts? Container = null);

/// <summary>
/// One running worker, seen from the supervisor. A worker that dies (a crash, a signal from its rlimits), talks
/// nonsense, or does not answer within the wall-clock limit (it is then killed with its children) yields a
/// <see cref="ScanFindingCodes.DecoderAbnormal"/> finding naming the detector it had last announced.
/// </summary>
internal sealed class ScanWorkerProcess : IAsyncDisposable
{
    private const int StderrLines = 20;
    /// <summary>Starting the runtime and both picture libraries takes a fraction of a second, or seconds on a loaded machine.</summary>
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    /// <summary>The worker's stdout, buffered: protocol lines are read a byte at a time.</summary>
    private readonly BufferedStream _output;
    private readonly Queue<string> _stderr = new();
    private readonly ILogger _logger;

    private ScanWorkerProcess(Process process, ILogger logger)
    {
        _process = process;
        _output = new BufferedStream(process.StandardOutput.BaseStream, 4096);
        _logger = logger;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                _stderr.Enqueue(e.Data);
                if (_stderr.Count > StderrLines) _stderr.Dequeue();
            }
        };
        process.BeginErrorReadLine();
    }

    public int FilesScanned { get; private set; }

    public int ProcessId => _process.Id;

    public static async Task<ScanWorkerProcess> StartAsync(WorkerLaunch launch, ScanningOptions options, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        Process process;
        try
        {
            process = Process.Start(launch.StartInfo(options)) ?? throw new InvalidOperationException("The scan worker did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"The scan worker did not start: {e.Message}", e);
        }
        var worker = new ScanWorkerProcess(process, logger);
        var settings = new WorkerSettings(options.MaxFileBytes, options.MaxPixels, options.MaxSide, options.MaxFrames,
            options.CpuSecondsPerFile, options.FilesPerWorker, options.MemoryBytes, options.TestHooks);
        try
        {
            using var deadline = new Deadline(StartPatience, time, ct, worker);
            await WorkerProtocol.WriteLineAsync(worker._process.StandardInput.BaseStream, settings, deadline.Token);
            var ready = await WorkerProtocol.ReadLineAsync<WorkerMessage>(worker._output, deadline.Token);
            if (ready?.Type == WorkerMessage.Ready) return worker;
        }
        catch (Exception e) when (e is IOException or JsonException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            // Reported below with what the worker printed.
        }
        var why = worker.Describe();
        await worker.DisposeAsync();
        throw new InvalidOperationException($"The scan worker did not start: {why}");
    }

    public async Task<WorkerScanResult> ScanAsync(string path, WorkerRequest request, ScanningOptions options, TimeProvider time, CancellationToken ct)
    {
        FilesScanned++;
        var detector = "worker";
        var started = time.GetTimestamp();
        using var deadline = new Deadline(options.FileTimeout, time, ct, this);
        try
        {
            var input = _process.StandardInput.BaseStream;
            await WorkerProtocol.WriteLineAsync(input, request, deadline.Token);
            await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
                await file.CopyToAsync(input, deadline.Token);
            await input.FlushAsync(deadline.Token);
            while (await WorkerProtocol.ReadLineAsync<WorkerMessage>(_output, deadline.Token) is { } message)
            {
                if (message.Type == WorkerMessage.DetectorStarted) detector = message.Detector ?? detector;
                else if (message.Type == WorkerMessage.Result)
                    return new WorkerScanResult(message.Findings ?? [], message.Timings ?? [], message.PeakMemoryBytes, !message.Recycle, message.Container);
            }
        }
        catch (Exception e) when (e is IOException or JsonException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            // The worker died or was killed: the finding below says which.
        }
        ct.ThrowIfCancellationRequested();
        await StopAsync();
        var elapsed = time.GetElapsedTime(started);
        var what = deadline.Expired
            ? $"did not finish within {options.FileTimeout.TotalSeconds:0.#} s and was killed"
            : $"stopped abnormally ({Describe()})";
        _logger.LogWarning("The scan worker {Pid} {What} while {Detector} read {Name}.", ProcessId, what, detector, request.Name);
        return new WorkerScanResult(
            [new ScanFinding(ScanFindingCodes.DecoderAbnormal, detector, $"The decoder {what} while reading the file.")],
            [new DetectorTiming(detector, Math.Round(elapsed.TotalMilliseconds, 3))], 0, WorkerUsable: false);
    }

    /// <summary>Cancelled by the caller or after the wall-clock limit; either way the worker and its children are killed at once.</summary>
    private sealed class Deadline : IDisposable
    {
        private readonly CancellationTokenSource _timeout;
        private readonly CancellationTokenSource _linked;
        private readonly CancellationTokenRegistration _kill;

        public Deadline(TimeSpan limit, TimeProvider time, CancellationToken ct, ScanWorkerProcess worker)
        {
            _timeout = new CancellationTokenSource(limit, time);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _timeout.Token);
            _kill = _linked.Token.Register(worker.Kill);
        }

        public CancellationToken Token => _linked.Token;

        public bool Expired => _timeout.IsCancellationRequested;

        public void Dispose()
        {
            _kill.Dispose();
            _linked.Dispose();
            _timeout.Dispose();
        }
    }

    /// <summary>How the worker ended, with the last lines it printed.</summary>
    private string Describe()
    {
        _process.WaitForExit(TimeSpan.FromSeconds(5));
        var how = !_process.HasExited ? "still running"
            : _process.ExitCode > 128 ? $"killed by signal {_process.ExitCode - 128}{SignalName(_process.ExitCode - 128)}"
            : $"exit code {_process.ExitCode}";
        string last;
        lock (_stderr) last = _stderr.Count == 0 ? "" : $"; it printed: {string.Join(" / ", _stderr.TakeLast(3))}";
        return how + last;
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        24 => " (SIGXCPU: its CPU time limit)",
        25 => " (SIGXFSZ: its file size limit)",
        _ => "",
    };

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private async Task StopAsync()
    {
        Kill();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            _logger.LogError("The scan worker {Pid} did not exit after SIGKILL.", ProcessId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _output.DisposeAsync();
        _process.Dispose();
    }
}
