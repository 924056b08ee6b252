using System.Diagnostics;
using System.Globalization;

namespace Parley.Server.Scanning;

/// <summary>
/// How the supervisor starts a worker: which program (see <see cref="ScanningOptions.WorkerCommand"/>), inside which
/// isolation (new network and mount namespaces through util-linux's <c>unshare</c>, as root or, failing that, inside
/// a new user namespace; probed once, since containers often forbid one or both; in the mount namespace an empty
/// tmpfs covers each of <see cref="ScanningOptions.HiddenFolders"/> before the worker starts), with an environment
/// holding nothing of the server's (no secrets from <c>Parley__…</c> variables) but what the runtime needs.
/// </summary>
public sealed class WorkerLaunch
{
    private readonly string[] _command;

    private WorkerLaunch(string[] command, string isolation)
    {
        _command = command;
        Isolation = isolation;
    }

    /// <summary>For logs and tests: <c>network and mount namespaces</c>, <c>network, mount and user namespaces</c>, or <c>none</c>.</summary>
    public string Isolation { get; }

    public bool IsNetworkIsolated => Isolation != NoIsolation;

    private const string NoIsolation = "none";

    /// <summary>Run by <c>/bin/sh</c> inside the namespaces: cover each folder named before <c>--</c>, then become the worker.</summary>
    private const string HideThenRun =
        "while [ \"$1\" != -- ]; do if [ -d \"$1\" ]; then mount -t tmpfs -o size=4k,mode=000 parley-hidden \"$1\" || exit 97; fi; shift; done; shift; exec \"$@\"";

    public static WorkerLaunch Resolve(ScanningOptions options, ILogger logger)
    {
        var worker = WorkerProgram(options);
        var (prefix, isolation) = options.Isolation == NetworkIsolation.None ? ([], NoIsolation) : ProbeIsolation();
        if (prefix.Length == 0 && options.Isolation == NetworkIsolation.Required)
            throw new InvalidOperationException("Parley:Scanning:Isolation is Required, but this platform allows no network and mount namespaces (unshare --net --mount).");
        if (prefix.Length == 0 && options.Isolation == NetworkIsolation.Auto)
            logger.LogWarning("The scan worker runs WITHOUT network isolation and sees the data folder: neither `unshare --net --mount` nor `unshare --user --map-root-user --net --mount` is allowed here (docs/scanning-worker.md).");
        else logger.LogInformation("Scan workers run as {Command}, isolation: {Isolation}.", string.Join(' ', worker), isolation);
        if (prefix.Length == 0) return new WorkerLaunch(worker, isolation);
        return new WorkerLaunch([.. prefix, "/bin/sh", "-c", HideThenRun, "parley-worker", .. Hideable(options.HiddenFolders, worker, logger), "--", .. worker], isolation);
    }

    /// <summary>
    /// The folders that can be covered: not one holding the worker program or the .NET runtime (say a data folder
    /// that is the program folder's parent), which would leave no worker to start.
    /// </summary>
    private static IEnumerable<string> Hideable(IEnumerable<string> folders, string[] worker, ILogger logger)
    {
        var needed = worker.Where(Path.IsPathRooted).Append(AppContext.BaseDirectory).Append(RuntimeFolder()).Select(Path.GetFullPath).ToList();
        foreach (var folder in folders.Select(Path.GetFullPath).Distinct())
        {
            var prefix = folder.EndsWith('/') ? folder : folder + "/";
            if (needed.Any(path => (path + "/").StartsWith(prefix, StringComparison.Ordinal)))
                logger.LogWarning("{Folder} holds the scan worker's program or runtime, so the worker can see it.", folder);
            else yield return folder;
        }
    }

    private static string RuntimeFolder() => Path.GetDirectoryName(typeof(object).Assembly.Location) ?? "/usr";

    public ProcessStartInfo StartInfo(ScanningOptions options)
    {
        var start = new ProcessStartInfo(_command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in _command.Skip(1)) start.ArgumentList.Add(argument);
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin";
        var dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        start.Environment.Clear();
        start.Environment["PATH"] = path;
        if (dotnetRoot is not null) start.Environment["DOTNET_ROOT"] = dotnetRoot;
        start.Environment["HOME"] = "/nonexistent";
        start.Environment["DOTNET_GCHeapHardLimit"] = options.ManagedHeapBytes.ToString("x", CultureInfo.InvariantCulture);
        start.Environment["DOTNET_gcServer"] = "0";
        // No diagnostics IPC socket in /tmp: the worker creates no file anywhere.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        return start;
    }

    /// <summary>The worker program and its arguments, without isolation.</summary>
    private static string[] WorkerProgram(ScanningOptions options)
    {
        if (options.WorkerCommand is { } configured)
            return configured.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? [DotnetHost(), configured, "scan-worker"] : [configured, "scan-worker"];
        // Under `parley serve` started from its apphost, the running program is the worker's program too.
        if (Environment.ProcessPath is { } running && Path.GetFileNameWithoutExtension(running) == "parley") return [running, "scan-worker"];
        var beside = Path.Combine(Path.GetDirectoryName(typeof(ScanWorker).Assembly.Location) ?? AppContext.BaseDirectory, "parley.dll");
        if (File.Exists(beside)) return [DotnetHost(), beside, "scan-worker"];
        throw new InvalidOperationException($"No scan worker: {beside} does not exist; set Parley:Scanning:WorkerCommand to parley.dll or the parley executable.");
    }

    private static string DotnetHost() =>
        Environment.ProcessPath is { } running && Path.GetFileNameWithoutExtension(running) == "dotnet" ? running
        : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    private static (string[] Prefix, string Isolation) ProbeIsolation()
    {
        string[] network = ["unshare", "--net", "--mount", "--"];
        if (Succeeds([.. network, "true"])) return (network, "network and mount namespaces");
        string[] user = ["unshare", "--user", "--map-root-user", "--net", "--mount", "--"];
        if (Succeeds([.. user, "true"])) return (user, "network, mount and user namespaces");
        return ([], NoIsolation);
    }

    private static bool Succeeds(string[] command)
    {
        try
        {
            var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
            using var process = Process.Start(start)!;
            process.StandardError.ReadToEnd();
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no unshare on this system
        }
    }
}
