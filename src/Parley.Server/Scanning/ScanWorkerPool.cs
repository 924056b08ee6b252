using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Parley.Core.Scanning;

namespace Parley.Server.Scanning;

/// <summary>
/// The supervisor: <see cref="ScanningOptions.Workers"/> slots, each holding a worker process started on first
/// use. A file waits for a free slot, is scanned by its worker, and the worker goes back unless it stopped
/// abnormally, asked to be recycled, or reached <see cref="ScanningOptions.FilesPerWorker"/>: then the next file
/// in that slot starts a fresh one. A worker that cannot be started at all fails the scan closed.
/// </summary>
public sealed class ScanWorkerPool : IAsyncDisposable
{
    private readonly ScanningOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ScanWorkerPool> _logger;
    private readonly Lazy<WorkerLaunch> _launch;
    private readonly Channel<ScanWorkerProcess?> _slots;
    private bool _disposed;

    public ScanWorkerPool(IOptions<ScanningOptions> options, TimeProvider time, ILogger<ScanWorkerPool> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _launch = new Lazy<WorkerLaunch>(() => WorkerLaunch.Resolve(_options, _logger));
        _slots = Channel.CreateBounded<ScanWorkerProcess?>(_options.WorkerCount);
        for (var i = 0; i < _options.WorkerCount; i++) _slots.Writer.TryWrite(null);
    }

    /// <summary>How workers are isolated here (probed on first use).</summary>
    public WorkerLaunch Launch => _launch.Value;

    /// <param name="attachment">
    /// The content inspection's attachment decision, when it made one (null: read the file's head here). It sniffs a longer
    /// head than <see cref="ScanWorker.HeadBytes"/>, which can only turn an unknown format into a known one: where the two
    /// differ, the file goes to a worker rather than around it.
    /// </param>
    public async Task<WorkerScanResult> ScanAsync(string path, string mediaType, string name, bool? attachment, CancellationToken ct)
    {
        var length = new FileInfo(path).Length;
        // Test-hook files are text (an attachment by format): with hooks on, the head still decides.
        var decodesNothing = attachment is { } known && !_options.TestHooks ? known : await DecodesNothingAsync(path, mediaType, name, ct);
        if (decodesNothing) return new WorkerScanResult([], [], 0);
        if (length > _options.MaxFileBytes)
            return Unavailable($"The file is larger than the {_options.MaxFileBytes} bytes a scan worker accepts.");
        var worker = await _slots.Reader.ReadAsync(ct);
        try
        {
            worker ??= await ScanWorkerProcess.StartAsync(Launch, _options, _time, _logger, ct);
            var result = await worker.ScanAsync(path, new WorkerRequest(name, mediaType, length), _options, _time, ct);
            if (!result.WorkerUsable || worker.FilesScanned >= _options.FilesPerWorker) worker = await Retire(worker);
            return result;
        }
        catch (InvalidOperationException e)
        {
            _logger.LogError(e, "No scan worker; {Name} fails closed.", name);
            worker = await Retire(worker);
            return Unavailable(e.Message);
        }
        catch (OperationCanceledException)
        {
            worker = await Retire(worker); // killed mid-file by the cancellation
            throw;
        }
        finally
        {
            if (_disposed && worker is not null) await worker.DisposeAsync();
            else _slots.Writer.TryWrite(worker);
        }
    }

    private static async Task<ScanWorkerProcess?> Retire(ScanWorkerProcess? worker)
    {
        if (worker is not null) await worker.DisposeAsync();
        return null;
    }

    /// <summary>
    /// A file no decoder takes (an attachment, by the worker's own rule) needs no worker: that spares a 1 GiB document
    /// a copy through the pipe and the worker's size limit. The inspector's checks and clamd still judge it. Test-hook
    /// files are text, so they go to the worker when hooks are on.
    /// </summary>
    private async Task<bool> DecodesNothingAsync(string path, string mediaType, string name, CancellationToken ct)
    {
        var head = new byte[ScanWorker.HeadBytes];
        int read;
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0))
            read = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        if (_options.TestHooks && head.AsSpan(0, read).StartsWith(WorkerTestHooks.Prefix)) return false;
        return ScanWorker.DecodesNothing(head.AsSpan(0, read), mediaType, name);
    }

    private static WorkerScanResult Unavailable(string detail) =>
        new([new ScanFinding(ScanFindingCodes.ScanUnavailable, "worker", detail)], [], 0);

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        while (_slots.Reader.TryRead(out var worker))
            if (worker is not null) await worker.DisposeAsync();
    }
}
