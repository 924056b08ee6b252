namespace Parley.Testing;

/// <summary>
/// Several all-role servers in this process on one Redis (<c>--bus</c>) and one shared data folder
/// (database and blob directory), the way a cluster behind a load balancer shares them.
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    private ClusterNodes(IReadOnlyList<RunningServer> nodes) => Nodes = nodes;

    public IReadOnlyList<RunningServer> Nodes { get; }

    public static async Task<ClusterNodes> StartAsync(RedisServer redis, int count)
    {
        var data = Path.Combine(Path.GetTempPath(), "parley-cluster-" + Guid.NewGuid().ToString("N"));
        var nodes = new List<RunningServer>();
        for (var i = 0; i < count; i++)
            nodes.Add(await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Bus:Connection"] = redis.Connection }, data));
        return new ClusterNodes(nodes);
    }

    /// <summary>All but the first stop; the first then removes the shared folder.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Skip(1)) await node.StopAsync();
        await Nodes[0].DisposeAsync();
    }
}
