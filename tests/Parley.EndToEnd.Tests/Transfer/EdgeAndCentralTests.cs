namespace Parley.EndToEnd.Tests.Transfer;

/// <summary>
/// SPEC §1 with real processes: a central node and an edge (each <c>parley serve</c> with its own
/// data), and users at terminals sending the same and new files through them.
/// </summary>
public sealed class EdgeAndCentralTests : IDisposable
{
    private const string NodeKey = "e2e-node-key-0123456789abcdef";
    private readonly Workspace _workspace = new();

    [Fact]
    public async Task Content_central_has_reaches_edge_users_without_upload_and_new_content_stays_on_the_edge()
    {
        var central = await _workspace.StartServerAsync("central", "--role", "central", "--node-key", NodeKey);
        var edge = await _workspace.StartServerAsync("edge", "--role", "edge", "--central-url", central.Address.ToString(), "--node-key", NodeKey);
        var ann = await _workspace.RegisteredUserAsync("ann", central);
        var bob = await _workspace.RegisteredUserAsync("bob", edge);
        var carol = await _workspace.RegisteredUserAsync("carol", edge);
        var (picture, pictureBytes) = _workspace.RandomFile("picture.png", 1_500_000);
        var (drawing, drawingBytes) = _workspace.RandomFile("drawing.png", 700_000);

        var room = (await ann.RunAsync("room", "create", "photos")).Succeeded().StdOut.Trim();
        var onCentral = SentFile.From(await ann.RunAsync("send", picture, "--room", room, "--json"));
        var viaCentral = SentFile.From(await bob.RunAsync("send", picture, "--to", "carol", "--json"));
        var newOnEdge = SentFile.From(await bob.RunAsync("send", drawing, "--to", "carol", "--json"));
        var againOnEdge = SentFile.From(await bob.RunAsync("send", drawing, "--to", "carol", "--json"));
        var named = (await bob.RunAsync("send", "--text", drawing, "--to", "carol", "--json")).Succeeded().Json();

        Assert.Equal(("none", pictureBytes.Length), (onCentral.Dedup, (int)onCentral.BytesUploaded));
        Assert.Equal((onCentral.ContentId, "central", 0L), (viaCentral.ContentId, viaCentral.Dedup, viaCentral.BytesUploaded));
        Assert.Equal(pictureBytes, await carol.FetchAsync(_workspace, viaCentral.MessageId));
        Assert.Equal(("none", drawingBytes.Length), (newOnEdge.Dedup, (int)newOnEdge.BytesUploaded));
        Assert.Equal(("local", 0L), (againOnEdge.Dedup, againOnEdge.BytesUploaded));
        Assert.Equal(drawingBytes, await carol.FetchAsync(_workspace, againOnEdge.MessageId));
        Assert.Equal(drawing, named.Text("text"));

        var history = (await carol.RunAsync("history", "--room", "bob")).Succeeded().StdOut;
        Assert.Contains($"bob sent picture.png (1.4 MiB, image/png) — parley fetch {viaCentral.MessageId} -o picture.png", history);
        Assert.Contains($"bob sent drawing.png ({drawingBytes.Length / 1024.0:0.0} KiB, image/png) — parley fetch {againOnEdge.MessageId} -o drawing.png", history);
    }

    public void Dispose() => _workspace.Dispose();
}
