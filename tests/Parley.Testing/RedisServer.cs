using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Parley.Testing;

/// <summary>
/// A throwaway <c>redis-server</c> on a free loopback port, persisting nothing, working in a temp folder;
/// killed on dispose. <c>scripts/install-test-deps</c> installs the Debian package when it is missing.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly Process _process;
    private readonly string _directory;

    private RedisServer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>What <c>--bus</c> (<c>Parley:Bus:Connection</c>) takes.</summary>
    public string Connection => $"redis://127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("parley-redis-").FullName;
        var port = FreePorts.Next();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList = { "--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory,
                // The SignalR backplane publishes once per user an event is for: a room of a thousand is a burst that
                // Redis's default pub/sub output limit (8 MB for 60 s) answers by dropping the nodes' subscriptions.
                "--client-output-buffer-limit", "pubsub 256mb 64mb 60" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("redis-server is not installed; run scripts/install-test-deps.", e);
        }
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var redis = new RedisServer(process, directory, port);
        await redis.WaitUntilReadyAsync();
        return redis;
    }

    /// <summary>Ready when it answers PING over its own protocol.</summary>
    private async Task WaitUntilReadyAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var answer = new byte[7];
                var read = await stream.ReadAsync(answer);
                if (Encoding.ASCII.GetString(answer, 0, read).StartsWith("+PONG", StringComparison.Ordinal)) return;
            }
            catch (SocketException)
            {
                // Not listening yet.
            }
            await Task.Delay(50);
        }
        await DisposeAsync();
        throw new TimeoutException($"redis-server did not answer on port {Port}.");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }
}
