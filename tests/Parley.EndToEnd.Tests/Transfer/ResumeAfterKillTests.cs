namespace Parley.EndToEnd.Tests.Transfer;

/// <summary>An upload whose process is killed midway continues, not restarts, when the same send runs again.</summary>
public sealed class ResumeAfterKillTests : IDisposable
{
    private readonly Workspace _workspace = new();

    [Fact]
    public async Task A_killed_send_run_again_uploads_only_what_the_server_lacks()
    {
        var server = await _workspace.StartServerAsync("data");
        var alice = await _workspace.RegisteredUserAsync("alice", server);
        var bob = await _workspace.RegisteredUserAsync("bob", server);
        var (file, content) = _workspace.RandomFile("video.png", 48 * 1024 * 1024);
        string[] send = ["send", file, "--to", "bob", "--limit-rate", "8M", "--json"];

        var first = alice.Start(send);
        // The client counts bytes as it hands them to the network, ahead of what the server has stored; a
        // quarter of the way in, the server surely holds a good part of them.
        await first.WaitForJsonAsync(line => line.Text("type") == "progress" && line.Text("phase") == "uploading" &&
            line.GetProperty("done").GetInt64() >= line.GetProperty("total").GetInt64() / 4);
        first.Dispose();
        var resumed = SentFile.From(await alice.RunAsync(send));

        Assert.Equal(("none", (long)content.Length), (resumed.Dedup, resumed.Size));
        Assert.InRange(resumed.BytesUploaded, 1, content.Length * 7L / 8);
        Assert.Equal(content, await bob.FetchAsync(_workspace, resumed.MessageId));
    }

    public void Dispose() => _workspace.Dispose();
}
