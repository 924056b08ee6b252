using System.Diagnostics;

namespace Parley.EndToEnd.Tests;

/// <summary><c>parley serve</c> as its own OS process, on a loopback port and a data folder the test chooses.</summary>
internal sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly List<(string Text, TaskCompletionSource Seen)> _awaited = [];

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        _process.OutputDataReceived += (_, e) => Remember(e.Data);
        _process.ErrorDataReceived += (_, e) => Remember(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    /// <summary>A port that is free right now (the OS picks it), to start a server on and restart it on.</summary>

    /// <summary>Starts the server and returns once <c>/healthz</c> answers.</summary>
    /// <param name="options">More <c>parley serve</c> options, e.g. <c>--role edge</c>.</param>
    public static Task<ServerProcess> StartAsync(int port, string dataDirectory, params string[] options) =>
        StartAsync(port, dataDirectory, new Dictionary<string, string>(), options);

    /// <param name="environment">More environment variables, e.g. a test-only halt point.</param>
    public static async Task<ServerProcess> StartAsync(int port, string dataDirectory, IReadOnlyDictionary<string, string> environment, params string[] options)
    {
        var address = new Uri($"http://127.0.0.1:{port}/");
        return await LaunchAsync(address, ["serve", "--urls", address.ToString().TrimEnd('/'), "--data", dataDirectory, .. options], environment);
    }

    /// <summary>Starts <c>parley serve</c> with nothing on its command line: the environment says where it listens (at <paramref name="address"/>) and keeps its data.</summary>
    public static Task<ServerProcess> StartFromEnvironmentAsync(Uri address, IReadOnlyDictionary<string, string> environment) =>
        LaunchAsync(address, ["serve"], environment);

    private static async Task<ServerProcess> LaunchAsync(Uri address, string[] arguments, IReadOnlyDictionary<string, string> environment)
    {
        var start = ParleyProgram.StartInfo(arguments, new Dictionary<string, string>(environment) { ["Logging__LogLevel__Default"] = "Warning" });
        var server = new ServerProcess(Process.Start(start)!, address);
        try
        {
            await server.WaitUntilHealthyAsync();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + ParleyProgram.Patience;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or too busy starting to answer within one probe's timeout: ask again.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"parley serve did not become healthy on {Address}. Its last output:\n{string.Join('\n', LastLines())}");
    }

    /// <summary>Completes when the server writes a line containing <paramref name="text"/>; fails after the program's patience.</summary>
    public Task WaitForOutputAsync(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lastLines)
        {
            if (_lastLines.Any(line => line.Contains(text))) return Task.CompletedTask;
            _awaited.Add((text, seen));
        }
        return seen.Task.WaitAsync(ParleyProgram.Patience);
    }

    private void Remember(string? line)
    {
        if (line is null) return;
        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            if (_lastLines.Count > 50) _lastLines.Dequeue();
            foreach (var awaited in _awaited.Where(a => line.Contains(a.Text))) awaited.Seen.TrySetResult();
        }
    }

    private string[] LastLines()
    {
        lock (_lastLines) return [.. _lastLines];
    }

    public void Dispose()
    {
        ParleyProgram.Kill(_process);
        _process.Dispose();
    }
}
