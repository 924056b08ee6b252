namespace Parley.Testing;

/// <summary>
/// A throwaway <c>redis-server</c> on a free loopback port, persisting nothing, working in a temp folder;
/// killed on dispose. <c>scripts/install-test-deps</c> installs the Debian package when it is missing.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly LocalDaemon _daemon;

    private RedisServer(LocalDaemon daemon) => _daemon = daemon;

    public int Port => _daemon.Port;

    /// <summary>What <c>--bus</c> (<c>Parley:Bus:Connection</c>) takes.</summary>
    public string Connection => $"redis://127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("parley-redis-").FullName;
        var port = FreePorts.Next();
        var daemon = LocalDaemon.Start("redis-server", directory, port,
            ["--port", port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", directory,
                // The SignalR backplane publishes once per user an event is for: a room of a thousand is a burst that
                // Redis's default pub/sub output limit (8 MB for 60 s) answers by dropping the nodes' subscriptions.
                "--client-output-buffer-limit", "pubsub 256mb 64mb 60"]);
        // Ready when it answers PING over its own protocol.
        await daemon.WaitUntilAnswersAsync("PING\r\n"u8.ToArray(), "+PONG", Patience, () => Task.FromResult("no answer to PING"));
        return new RedisServer(daemon);
    }

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();
}
