using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Parley.Testing;

/// <summary>
/// A daemon from a Debian package that the tests start on a free loopback port, working in a temp folder of its own;
/// killed, and its folder deleted, on dispose. <see cref="RedisServer"/> and <see cref="ClamdServer"/> are two.
/// </summary>
public sealed class LocalDaemon : IAsyncDisposable
{
    private readonly Process _process;

    private LocalDaemon(Process process, string directory, int port)
    {
        _process = process;
        Directory = directory;
        Port = port;
    }

    /// <summary>The daemon's own temp folder (its configuration, data and logs).</summary>
    public string Directory { get; }

    public int Port { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="program"/>; a program that is not installed says so, naming <c>scripts/install-test-deps</c>.</summary>
    /// <param name="arguments">The command line, given the folder and port.</param>
    public static LocalDaemon Start(string program, string directory, int port, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{Path.GetFileName(program)} is not installed; run scripts/install-test-deps.", e);
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new LocalDaemon(process, directory, port);
    }

    /// <summary>
    /// Returns once a connection that sends <paramref name="ping"/> reads an answer starting with <paramref name="pong"/>;
    /// otherwise stops the daemon and throws, with what <paramref name="why"/> tells (its log, say).
    /// </summary>
    public async Task WaitUntilAnswersAsync(byte[] ping, string pong, TimeSpan patience, Func<Task<string>> why)
    {
        var deadline = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                var stream = client.GetStream();
                await stream.WriteAsync(ping);
                var answer = new byte[pong.Length + 2];
                var read = await stream.ReadAsync(answer);
                if (Encoding.ASCII.GetString(answer, 0, read).StartsWith(pong, StringComparison.Ordinal)) return;
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        var reason = await why();
        await DisposeAsync();
        throw new TimeoutException($"{_process.StartInfo.FileName} did not answer on port {Port}: {reason}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
