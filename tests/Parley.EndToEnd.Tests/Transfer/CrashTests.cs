using Parley.Server.Transfer;

namespace Parley.EndToEnd.Tests.Transfer;

/// <summary>
/// <c>parley serve</c> is SIGKILLed at points of the transfer flow (issue 14, "what keeps it from
/// coming back"): mid-upload, after the last byte, during verification, during a chunk write. The
/// sender's rerun of the same <c>parley send</c> must converge (resume, complete or start over, never
/// stuck), the receiver gets the exact bytes, and after collection nothing is left on disk but the
/// content's own chunks. The server halts at a named point (<see cref="TransferHaltPoints"/>) and
/// says so on stderr, so the kill happens exactly there, with no timing guesses.
/// </summary>
public sealed class CrashTests : IDisposable
{
    private readonly Workspace _workspace = new();
    private readonly int _port = FreePorts.Next();
    private readonly List<IDisposable> _cleanup = [];

    private string Data => _workspace.PathOf("data");

    private async Task<ServerProcess> StartAsync(string? haltAt = null)
    {
        var environment = new Dictionary<string, string>();
        if (haltAt is not null) environment[TransferHaltPoints.Variable] = haltAt;
        // Files a crash leaves are collected at the next start, not 10 minutes later.
        var server = await ServerProcess.StartAsync(_port, Data, environment, "--Parley:Transfer:StrayFileGrace", "00:00:00");
        _cleanup.Add(server);
        return server;
    }

    [Theory]
    [InlineData(null)]
    [InlineData(TransferHaltPoints.UploadComplete)]
    [InlineData(TransferHaltPoints.Verifying)]
    [InlineData(TransferHaltPoints.ChunkWrite)]
    public async Task A_send_killed_with_its_server_converges_when_run_again_and_leaves_nothing_behind(string? haltAt)
    {
        var server = await StartAsync(haltAt);
        var alice = new CliUser("alice", server.Address);
        var bob = new CliUser("bob", server.Address);
        _cleanup.AddRange([bob, alice]);
        (await alice.RegisterAsync()).Succeeded();
        (await bob.RegisterAsync()).Succeeded();
        var (file, content) = _workspace.RandomFile("film.png", 6 * 1024 * 1024);
        string[] send = ["send", file, "--to", "bob", "--json", .. haltAt is null ? new[] { "--limit-rate", "2M" } : []];

        var first = alice.Start(send);
        if (haltAt is null)
            await first.WaitForJsonAsync(line => line.Text("type") == "progress" && line.Text("phase") == "uploading" &&
                line.GetProperty("done").GetInt64() >= line.GetProperty("total").GetInt64() / 3);
        else
            await server.WaitForOutputAsync($"halted at {haltAt}");
        server.Dispose(); // SIGKILL
        first.Dispose();

        server = await StartAsync();
        var sent = SentFile.From(await alice.RunAsync(send));
        Assert.Equal(content, await bob.FetchAsync(_workspace, sent.MessageId));

        // Another start collects (with no grace) whatever the crash left.
        server.Dispose();
        await StartAsync();
        Assert.Empty(Directory.GetFiles(Path.Combine(Data, "uploads")));
        Assert.Empty(Directory.GetFiles(Path.Combine(Data, "blobs", "tmp")));
        var chunkFiles = Directory.GetFiles(Path.Combine(Data, "blobs", "chunks"), "*", SearchOption.AllDirectories);
        Assert.Equal(content.Length, chunkFiles.Sum(path => new FileInfo(path).Length));
    }

    public void Dispose()
    {
        foreach (var item in Enumerable.Reverse(_cleanup)) item.Dispose();
        _workspace.Dispose();
    }
}
