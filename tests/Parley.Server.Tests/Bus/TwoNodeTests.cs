using Parley.Testing;

namespace Parley.Server.Tests.Bus;

/// <summary>
/// Two all-role nodes on one real Redis (<c>--bus</c>) and one shared database, for tests whose requests must land
/// on different nodes: <see cref="One"/> and <see cref="Two"/> speak to each.
/// </summary>
public abstract class TwoNodeTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    protected ClusterNodes Cluster { get; private set; } = null!;
    protected Api One { get; private set; } = null!;
    protected Api Two { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        Cluster = await ClusterNodes.StartAsync(_redis, 2);
        (One, Two) = (new Api(Cluster.Nodes[0]), new Api(Cluster.Nodes[1]));
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await _redis.DisposeAsync();
    }
}
