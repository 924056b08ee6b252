using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Parley.Core.Scanning;

namespace Parley.Server.Scanning;

/// <summary>
/// Misbehaviour on demand, for the tests that prove the supervisor copes: a file that starts with
/// <c>PARLEY-TEST-HOOK:</c> followed by <c>crash</c>, <c>hang</c>, <c>spin</c>, <c>allocate</c> or
/// <c>connect:PORT</c> or <c>read:PATH</c> makes the worker abort, sleep forever, burn CPU, allocate until its
/// memory limit, dial 127.0.0.1:PORT, or list a folder. Obeyed only when <see cref="ScanningOptions.TestHooks"/> is set (never by default).
/// </summary>
internal static class WorkerTestHooks
{
    public const string Detector = "test-hook";
    public static readonly byte[] Prefix = "PARLEY-TEST-HOOK:"u8.ToArray();

    /// <summary>True when the file was a hook (and the hook did not take the worker down).</summary>
    public static async Task<bool> TryRunAsync(WorkerScan scan)
    {
        if (!scan.Settings.TestHooks || !scan.Head.AsSpan().StartsWith(Prefix)) return false;
        var command = Encoding.ASCII.GetString(scan.Head, Prefix.Length, scan.Head.Length - Prefix.Length).Trim();
        await scan.RunAsync(Detector, () => command switch
        {
            "crash" => Crash(),
            "hang" => Hang(),
            "spin" => Spin(),
            "allocate" => Allocate(),
            _ when command.StartsWith("connect:", StringComparison.Ordinal) => Connect(scan, int.Parse(command["connect:".Length..])),
            _ when command.StartsWith("read:", StringComparison.Ordinal) => List(scan, command["read:".Length..]),
            _ => throw new ArgumentException($"Unknown test hook '{command}'."),
        });
        return true;
    }

    private static object Crash()
    {
        Environment.FailFast("test hook: crash");
        return new();
    }

    private static object Hang()
    {
        Thread.Sleep(Timeout.Infinite);
        return new();
    }

    private static object Spin()
    {
        var spins = 0L;
        while (spins >= 0) spins++;
        return new();
    }

    /// <summary>Native allocations, each touched so it is really committed, until the data rlimit says no.</summary>
    private static object Allocate()
    {
        const int Chunk = 64 * 1024 * 1024;
        var held = new List<IntPtr>();
        try
        {
            while (true)
            {
                var block = Marshal.AllocHGlobal(Chunk);
                held.Add(block);
                for (var offset = 0; offset < Chunk; offset += 4096) Marshal.WriteByte(block, offset, 1);
            }
        }
        finally
        {
            foreach (var block in held) Marshal.FreeHGlobal(block);
        }
    }

    private static object List(WorkerScan scan, string folder)
    {
        var seen = Directory.Exists(folder) ? string.Join(",", Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order()) : "";
        scan.Add(ScanFindingCodes.DecoderAbnormal, Detector, $"Sees in {folder}: [{seen}].");
        return new();
    }

    private static object Connect(WorkerScan scan, int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect("127.0.0.1", port);
            scan.Add(ScanFindingCodes.DecoderAbnormal, Detector, $"Connected to 127.0.0.1:{port}.");
        }
        catch (SocketException e)
        {
            scan.Add(ScanFindingCodes.DecoderAbnormal, Detector, $"Could not connect to 127.0.0.1:{port}: {e.SocketErrorCode}.");
        }
        return new();
    }
}
