namespace Parley.Testing;

/// <summary>
/// Several all-role servers in this process on one Redis (<c>--bus</c>), one PostgreSQL database and one media
/// folder, each with a data folder of its own: what a cluster behind a load balancer shares (docs/deployment.md).
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    private readonly string _media;

    private ClusterNodes(IReadOnlyList<RunningServer> nodes, string media)
    {
        Nodes = nodes;
        _media = media;
    }

    public IReadOnlyList<RunningServer> Nodes { get; }

    public static async Task<ClusterNodes> StartAsync(RedisServer redis, int count)
    {
        var media = Path.Combine(Path.GetTempPath(), "parley-cluster-media-" + Guid.NewGuid().ToString("N"));
        var settings = new Dictionary<string, string>
        {
            ["Parley:Bus:Connection"] = redis.Connection,
            ["Parley:Storage:ConnectionString"] = await (await TestPostgres.InstanceAsync()).DatabaseAsync("parley_cluster_" + Guid.NewGuid().ToString("N")[..12]),
            ["Parley:Storage:MediaDirectory"] = media,
        };
        var nodes = new List<RunningServer>();
        for (var i = 0; i < count; i++) nodes.Add(await RunningServer.StartAsync(settings));
        return new ClusterNodes(nodes, media);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
        if (Directory.Exists(_media)) Directory.Delete(_media, recursive: true);
    }
}
