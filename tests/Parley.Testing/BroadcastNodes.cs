namespace Parley.Testing;

/// <summary>
/// The upload and broadcast roles as two servers sharing one data folder (as they share a database
/// when deployed apart), each started knowing the other's address and the node key.
/// </summary>
public sealed class BroadcastNodes : IAsyncDisposable
{
    private BroadcastNodes(RunningServer upload, RunningServer broadcast)
    {
        Upload = upload;
        Broadcast = broadcast;
    }

    public RunningServer Upload { get; }
    public RunningServer Broadcast { get; }

    /// <param name="configureUpload">Replace or add services of the upload node, e.g. a trace exporter.</param>
    public static async Task<BroadcastNodes> StartAsync(string nodeKey, Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configureUpload = null)
    {
        var data = Path.Combine(Path.GetTempPath(), "parley-roles-" + Guid.NewGuid().ToString("N"));
        int uploadPort = FreePorts.Next(), broadcastPort = FreePorts.Next();
        var upload = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Role"] = "Upload", ["Parley:Nodes:Key"] = nodeKey, ["Parley:Broadcast:BroadcastUrl"] = $"http://127.0.0.1:{broadcastPort}/",
        }, data, configureUpload, uploadPort);
        var broadcast = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Role"] = "Broadcast", ["Parley:Nodes:Key"] = nodeKey, ["Parley:Broadcast:UploadUrl"] = $"http://127.0.0.1:{uploadPort}/",
        }, data, port: broadcastPort);
        return new BroadcastNodes(upload, broadcast);
    }

    /// <summary>The broadcast node stops first (it calls the upload node); the upload node then removes the shared folder.</summary>
    public async ValueTask DisposeAsync()
    {
        await Broadcast.StopAsync();
        await Upload.DisposeAsync();
    }
}
