using System.Diagnostics;
using Parley.Testing;

namespace Parley.Bench.Transfer;

/// <summary>
/// The built <c>parley serve</c> (parley.dll beside the benchmark) in a process of its own with a temporary data folder,
/// so that its memory is its own: <see cref="ResetPeak"/> and <see cref="PeakBytes"/> read the kernel's high-water mark.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    /// <param name="build">The folder of the <c>parley.dll</c> to run; null: the one built beside the benchmark.</param>
    public static async Task<ServerProcess> StartAsync(string data, string? connectionString, string? build = null)
    {
        var address = new Uri($"http://127.0.0.1:{FreePorts.Next()}/");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(build ?? AppContext.BaseDirectory, "parley.dll"), "serve", "--urls", address.ToString().TrimEnd('/'), "--data", data })
            start.ArgumentList.Add(arg);
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Parley__Transfer__MaxBlobBytes"] = (64L << 30).ToString();
        // The scan worker's own limit (256 MiB by default) would block a 1 GiB share.
        start.Environment["Parley__Scanning__MaxFileBytes"] = (64L << 30).ToString();
        if (connectionString is not null) start.Environment["Parley__Storage__ConnectionString"] = connectionString;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, line) => { if (line.Data is { Length: > 0 }) Console.Error.WriteLine($"[serve] {line.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, address);
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        for (var deadline = DateTime.UtcNow.AddMinutes(1); DateTime.UtcNow < deadline && !process.HasExited; await Task.Delay(100))
        {
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Still starting.
            }
        }
        await server.DisposeAsync();
        throw new InvalidOperationException("parley serve did not become healthy.");
    }

    /// <summary>Resets the process's peak resident set (Linux: <c>echo 5 &gt; /proc/PID/clear_refs</c>) to the current one.</summary>
    public void ResetPeak() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    /// <summary>VmHWM: the most resident memory since the last <see cref="ResetPeak"/>.</summary>
    public long PeakBytes() => Status("VmHWM:");

    public long ResidentBytes() => Status("VmRSS:");

    /// <summary>CPU time the server process used so far (user + system, all threads): less hostage to a busy machine than wall time.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    private long Status(string field)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
