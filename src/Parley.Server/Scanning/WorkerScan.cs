using System.Diagnostics;
using Parley.Core.Scanning;

namespace Parley.Server.Scanning;

/// <summary>
/// One file inside the worker: where its bytes are (an in-memory file, readable by path for ffprobe and
/// ffmpeg), its first bytes for sniffing, and what the detectors found and cost. Each detector runs through
/// <see cref="RunAsync{T}"/>, which first tells the supervisor its name, so a crash or hang inside it is
/// blamed on it.
/// </summary>
internal sealed class WorkerScan(WorkerRequest request, string path, byte[] head, WorkerSettings settings, Func<string, Task> announce)
{
    private readonly Dictionary<string, double> _timings = new(StringComparer.Ordinal);

    public WorkerRequest Request { get; } = request;

    /// <summary>The file's bytes as a path (<c>/proc/PID/fd/N</c> of an anonymous in-memory file).</summary>
    public string Path { get; } = path;

    /// <summary>The first bytes of the file, for magic-number sniffing.</summary>
    public byte[] Head { get; } = head;

    public WorkerSettings Settings { get; } = settings;

    public List<ScanFinding> Findings { get; } = [];

    /// <summary>The container's duration and bitrate, once FFmpeg decoded the file without a finding.</summary>
    public ContainerFacts? Container { get; set; }

    /// <summary>Set when a detector breached a limit in-process: the worker asks to be replaced after answering.</summary>
    public bool Recycle { get; private set; }

    public IReadOnlyList<DetectorTiming> Timings => [.. _timings.Select(t => new DetectorTiming(t.Key, Math.Round(t.Value, 3)))];

    public void Add(string code, string detector, string detail) => Findings.Add(new ScanFinding(code, detector, detail));

    /// <summary>Runs one in-process detector step (see the other overload).</summary>
    public Task<T?> RunAsync<T>(string detector, Func<T?> step) where T : class => RunAsync(detector, () => Task.FromResult(step()));

    /// <summary>
    /// Runs one detector step, timed. An out-of-memory inside it (the data rlimit or the managed heap limit
    /// was hit) is abnormal behaviour and recycles the worker; any other exception is that decoder failing.
    /// </summary>
    public async Task<T?> RunAsync<T>(string detector, Func<Task<T?>> step) where T : class
    {
        await announce(detector);
        var clock = Stopwatch.StartNew();
        try
        {
            return await step();
        }
        catch (Exception e) when (e is OutOfMemoryException or InsufficientExecutionStackException)
        {
            Add(ScanFindingCodes.DecoderAbnormal, detector, $"The decoder ran out of memory under the worker's limits ({e.GetType().Name}).");
            Recycle = true;
            return null;
        }
        catch (Exception e)
        {
            // Decoders turn what their library throws into specific findings; anything left is still a failure to decode.
            Add(ScanFindingCodes.DecoderFailed, detector, $"The decoder failed: {e.Message}");
            return null;
        }
        finally
        {
            _timings[detector] = _timings.GetValueOrDefault(detector) + clock.Elapsed.TotalMilliseconds;
        }
    }
}
