using Parley.Client;
using Parley.Core.Transfer;

namespace Parley.EndToEnd.Tests.Transfer;

/// <summary>tus-js-client, the reference tus implementation, uploads to <c>parley serve</c> like any tus server.</summary>
public sealed class TusJsInteropTests : IDisposable
{
    private readonly Workspace _workspace = new();

    [Fact]
    public async Task A_transfer_uploaded_by_tus_js_client_is_verified_and_delivered()
    {
        await NodeTool.TusJs.EnsurePackagesAsync();
        var server = await _workspace.StartServerAsync("data");
        var alice = await _workspace.RegisteredUserAsync("alice", server);
        var bob = await _workspace.RegisteredUserAsync("bob", server);
        var token = (await alice.RunAsync("token")).Succeeded().StdOut.Trim();
        var (file, content) = _workspace.RandomFile("from-js.png", 1_000_000);
        // The first detection and its signed identifier, as `parley scan` gives them with alice's device key.
        var identifier = (await alice.RunAsync("scan", file, "--json")).Succeeded().Json().GetProperty("identifier").GetString();
        using var client = new ParleyClient(server.Address, token);
        // No manifest: a plain tus client uploads the whole content, and the server chunks it.
        var announced = await client.CreateTransferAsync(new CreateTransferRequest(ContentId.Of(content).ToString(), content.Length, To: "bob",
            FileName: "from-js.png", MediaType: "image/png", ScanIdentifier: identifier));
        var proof = await OwnershipChallenge.FromDto(announced.Challenge, announced.Size)!.AnswerAsync(new MemoryStream(content));
        var transfer = await client.ProveAsync(announced.Id, Convert.ToBase64String(proof));
        Assert.Equal((TransferState.Upload, content.Length, null), (transfer.State, (int)transfer.Upload!.Length, transfer.Upload.MissingChunks));

        var run = await NodeTool.TusJs.NodeAsync("upload.mjs", server.Address.ToString(), token, transfer.Id, file);

        Assert.True(run.ExitCode == 0, $"node upload.mjs failed:\n{run}");
        var delivered = await client.GetTransferAsync(transfer.Id);
        Assert.Equal((TransferState.Delivered, DedupTier.None), (delivered.State, delivered.Dedup));
        Assert.Equal(content, await bob.FetchAsync(_workspace, delivered.Message!.Id));
    }

    public void Dispose() => _workspace.Dispose();
}
