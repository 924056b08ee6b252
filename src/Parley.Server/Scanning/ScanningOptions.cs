namespace Parley.Server.Scanning;

/// <summary>
/// The server's second detection, bound from <c>Parley:Scanning</c> (docs/scanning-worker.md). Every limit
/// here is enforced in the worker process or by the supervisor that kills it, never by trusting a decoder.
/// </summary>
public sealed class ScanningOptions
{
    public const string Section = "Parley:Scanning";

    /// <summary>
    /// What runs the worker: the path of <c>parley.dll</c> (started with <c>dotnet</c>) or of the <c>parley</c>
    /// executable, given the argument <c>scan-worker</c>. Unset: the running <c>parley</c> itself, or
    /// <c>parley.dll</c> beside the server assembly (tests that reference Parley.Cli have it there).
    /// </summary>
    public string? WorkerCommand { get; set; }

    /// <summary>
    /// Workers running at once, each scanning one file at a time (started on demand); null (the default) is one per
    /// core, up to 4, so that shares arriving together are decoded side by side rather than queued behind one worker.
    /// </summary>
    public int? Workers { get; set; }

    /// <summary><see cref="Workers"/>, or its default for this machine.</summary>
    public int WorkerCount => Workers ?? Math.Clamp(Environment.ProcessorCount, 1, 4);

    /// <summary>A worker is replaced after this many files, so its lifetime CPU budget and heap stay fresh.</summary>
    public int FilesPerWorker { get; set; } = 200;

    /// <summary>The supervisor kills a worker that has not answered for one file within this time.</summary>
    public TimeSpan FileTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>CPU seconds one file may cost the worker (RLIMIT_CPU, raised per file; SIGXCPU past it).</summary>
    public int CpuSecondsPerFile { get; set; } = 20;

    /// <summary>The worker's data segment limit (RLIMIT_DATA): native decoder buffers and the managed heap together.</summary>
    public long MemoryBytes { get; set; } = 1536L * 1024 * 1024;

    /// <summary>The worker's managed heap (DOTNET_GCHeapHardLimit), well inside <see cref="MemoryBytes"/>.</summary>
    public long ManagedHeapBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Largest file the worker accepts (bytes are piped to it; also its RLIMIT_FSIZE).</summary>
    public long MaxFileBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Pixels one picture or video frame may declare; checked from headers before any decode.</summary>
    public long MaxPixels { get; set; } = 50_000_000;

    /// <summary>Longest side in pixels a picture or video frame may declare.</summary>
    public int MaxSide { get; set; } = 16_384;

    /// <summary>Frames an animated picture may have (each is decoded by both decoders).</summary>
    public int MaxFrames { get; set; } = 1_000;

    /// <summary><c>Auto</c>: network and mount namespaces when the platform allows, else a logged fallback; <c>Required</c>: refuse to scan without one; <c>None</c>: never.</summary>
    public NetworkIsolation Isolation { get; set; } = NetworkIsolation.Auto;

    /// <summary>
    /// Folders the worker must not see: in its own mount namespace each is covered by an empty tmpfs. The server
    /// adds its data and media folders (the database, keys, every stored file) itself.
    /// </summary>
    public List<string> HiddenFolders { get; set; } = [];

    /// <summary>A ClamAV daemon asked over INSTREAM beside the worker: <c>tcp://host:port</c> or <c>unix:///path</c>. Unset: none.</summary>
    public string? Clamd { get; set; }

    /// <summary>How long clamd may take for one file before the scan fails closed.</summary>
    public TimeSpan ClamdTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a local security identifier stays good after its device signed it (docs/scanning.md, "The share path").</summary>
    public TimeSpan IdentifierMaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How far in the future an identifier's signing time may lie, for devices whose clocks run ahead.</summary>
    public TimeSpan IdentifierClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often a node looks for library versions whose stored media no node has rescanned yet (published elsewhere,
    /// or claimed by a node that stopped); a version published on this node is rescanned at once.
    /// </summary>
    public TimeSpan RescanEvery { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A rescan claim not renewed for this long is taken over by another node (its node died or hangs).</summary>
    public TimeSpan RescanClaimTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Tests only: the worker obeys magic inputs that make it crash, hang, allocate or dial out
    /// (<see cref="WorkerTestHooks"/>), to prove the supervisor's handling. Off unless set.
    /// </summary>
    public bool TestHooks { get; set; }
}

public enum NetworkIsolation
{
    Auto,
    Required,
    None,
}
