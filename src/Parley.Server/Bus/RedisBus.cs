using StackExchange.Redis;

namespace Parley.Server.Bus;

/// <summary>
/// The bus over Redis pub/sub (<c>--bus redis://host:port</c>): every node subscribes to the same
/// channels, so a publish reaches all of them, the publisher included. Redis keeps nothing: a node
/// that is down or reconnecting misses what was published meanwhile, which every channel tolerates.
/// </summary>
public sealed class RedisBus : NodeBus, IDisposable
{
    private const string ChannelPrefix = "parley.bus.";
    private readonly ConnectionMultiplexer _redis;
    private readonly ILogger<RedisBus> _log;

    public RedisBus(ConfigurationOptions redis, ILogger<RedisBus> log) : base(log)
    {
        _redis = ConnectionMultiplexer.Connect(redis);
        _log = log;
    }

    protected override async Task Send(string channel, string json, CancellationToken ct)
    {
        try
        {
            await _redis.GetSubscriber().PublishAsync(RedisChannel.Literal(ChannelPrefix + channel), json);
        }
        catch (RedisException e)
        {
            // At most once, as documented: the request that published has already stored its change.
            _log.LogWarning(e, "Could not publish on bus channel {Channel}.", channel);
        }
    }

    protected override void Listen(string channel) =>
        _redis.GetSubscriber().Subscribe(RedisChannel.Literal(ChannelPrefix + channel), (_, json) => Receive(channel, json));

    private void Receive(string channel, RedisValue json) => _ = DeliverHere(channel, json.ToString());

    /// <summary>A round trip to Redis, for the readiness check.</summary>
    public Task<TimeSpan> PingAsync() => _redis.GetDatabase().PingAsync();

    public void Dispose() => _redis.Dispose();
}

/// <summary>Reads <c>Parley:Bus:Connection</c>: <c>redis://[:password@]host:port</c>.</summary>
public static class RedisAddress
{
    public static ConfigurationOptions Parse(string connection)
    {
        if (!Uri.TryCreate(connection, UriKind.Absolute, out var address) || address.Scheme != "redis" || string.IsNullOrEmpty(address.Host))
            throw new InvalidOperationException($"--bus (Parley:Bus:Connection) must be redis://host:port, not '{connection}'.");
        var options = new ConfigurationOptions
        {
            EndPoints = { { address.Host, address.IsDefaultPort ? 6379 : address.Port } },
            // A node starts (and serves its own clients) while Redis is unreachable, and reconnects by itself.
            AbortOnConnectFail = false,
        };
        var password = Uri.UnescapeDataString(address.UserInfo).Split(':', 2) is [_, var secret] ? secret : null;
        if (!string.IsNullOrEmpty(password)) options.Password = password;
        return options;
    }
}
