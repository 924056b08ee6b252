using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Parley.Server.Scanning;

/// <summary>
/// The Linux calls the worker makes on itself: resource limits (setrlimit), an anonymous in-memory file for
/// the one file it scans (memfd_create, so ffprobe and ffmpeg read it without any path on disk), and moving
/// its own stdout aside so a native library that prints cannot corrupt the protocol.
/// </summary>
internal static class WorkerNative
{
    private const int RlimitCpu = 0;
    private const int RlimitFsize = 1;
    private const int RlimitData = 2;
    private const int RlimitCore = 4;
    private const int FSetPipeSize = 1031;
    private const int InputPipeBytes = 1 << 20;

    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Max;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setrlimit(int resource, ref Rlimit limit);

    [DllImport("libc", SetLastError = true)]
    private static extern int getrlimit(int resource, out Rlimit limit);

    [DllImport("libc", SetLastError = true)]
    private static extern int memfd_create([MarshalAs(UnmanagedType.LPUTF8Str)] string name, uint flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int command, int argument);

    [DllImport("libc", SetLastError = true)]
    private static extern int dup(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern int dup2(int from, int to);

    /// <summary>
    /// Limits for the worker's whole life: data segment (decoder buffers and managed heap), file size (the
    /// memfd is its only file), no core dumps, and a hard CPU cap that per-file budgets are raised within.
    /// Children (ffprobe, ffmpeg) inherit them.
    /// </summary>
    public static void ApplyLifetimeLimits(WorkerSettings settings)
    {
        Set(RlimitData, (ulong)settings.MemoryBytes, (ulong)settings.MemoryBytes);
        Set(RlimitFsize, (ulong)settings.MaxFileBytes, (ulong)settings.MaxFileBytes);
        Set(RlimitCore, 0, 0);
        // Startup (JIT, native libraries) costs a second or two; the rest is the budget of the files before recycling.
        var hardCpu = (ulong)(settings.CpuSecondsPerFile * (settings.FilesPerWorker + 1) + 10);
        Set(RlimitCpu, hardCpu, hardCpu);
    }

    /// <summary>The next file may use <paramref name="seconds"/> of CPU on top of what the worker used so far.</summary>
    public static void AllowCpuForNextFile(int seconds)
    {
        Check(getrlimit(RlimitCpu, out var current), "getrlimit");
        var used = (ulong)Math.Ceiling(Environment.CpuUsage.TotalTime.TotalSeconds);
        var soft = Math.Min(current.Max, used + (ulong)seconds);
        Set(RlimitCpu, soft, current.Max);
    }

    private static void Set(int resource, ulong soft, ulong hard)
    {
        var limit = new Rlimit { Current = soft, Max = hard };
        Check(setrlimit(resource, ref limit), "setrlimit");
    }

    /// <summary>An anonymous file in memory (not close-on-exec, so the decoders the worker starts can read it by <c>/proc/PID/fd/N</c>).</summary>
    public static FileStream CreateMemoryFile(string name)
    {
        var fd = memfd_create(name, 0);
        Check(fd, "memfd_create");
        return new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.ReadWrite);
    }

    /// <summary>
    /// Returns a stream on the original stdout for the protocol, and points fd 1 at stderr, so anything else
    /// that writes to stdout (Console, a native library) lands in the worker's log instead of the protocol.
    /// </summary>
    public static FileStream TakeProtocolOutput()
    {
        var protocol = dup(1);
        Check(protocol, "dup");
        Check(dup2(2, 1), "dup2");
        return new FileStream(new SafeFileHandle(protocol, ownsHandle: true), FileAccess.Write);
    }

    /// <summary>
    /// Widens the pipe the files arrive on (stdin) from 64 KiB to 1 MiB, so a picture crosses it in a few writes
    /// instead of dozens of switches between the supervisor and the worker. Best effort: where it is not a pipe,
    /// or the system's maximum is lower, it stays as it was and only costs time.
    /// </summary>
    public static void WidenInputPipe() => _ = fcntl(0, FSetPipeSize, InputPipeBytes);

    /// <summary>The most resident memory this process has held (VmHWM), in bytes.</summary>
    public static long PeakResidentBytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) * 1024;
        return 0;
    }

    private static void Check(int result, string call)
    {
        if (result < 0) throw new IOException($"{call} failed: {Marshal.GetLastPInvokeErrorMessage()}");
    }
}
