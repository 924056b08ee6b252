using System.Text.Json;
using Parley.Client;
using Parley.Core.Messaging;
using Parley.Core.Passphrase;
using Parley.Core.Transfer;

namespace Parley.EndToEnd.Tests.ApiDocs;

/// <summary>
/// A third party's view of the API: a TypeScript client generated from the served <c>/openapi/v1.json</c>
/// (openapi-typescript, openapi-fetch; tests/interop/openapi-client) is type-checked against the document and then
/// used for one call of each capability. What it did is then checked here with Parley's own client.
/// </summary>
public sealed class GeneratedClientTests
{
    private const string Password = "correct horse battery";
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private sealed record Summary(string Alice, string Room, string Message, string Transfer, string Dedup, string BroadcastMessage, int Reached, string PassphraseSession);

    [Fact]
    public async Task A_client_generated_from_the_served_document_uses_every_capability()
    {
        var tool = NodeTool.OpenApiClient;
        await tool.EnsurePackagesAsync();
        await using var server = await RunningServer.StartAsync();
        // Last run's output must not stand in for this one's.
        foreach (var folder in new[] { "generated", "out" })
            if (Directory.Exists(Path.Combine(tool.Folder, folder))) Directory.Delete(Path.Combine(tool.Folder, folder), recursive: true);

        var generated = await tool.NodeAsync(Patience, "node_modules/openapi-typescript/bin/cli.js", new Uri(server.BaseAddress, "/openapi/v1.json").ToString(),
            "--output", "generated/schema.d.ts", "--default-non-nullable=false");
        Assert.True(generated.ExitCode == 0, $"openapi-typescript failed:\n{generated}");
        var compiled = await tool.NodeAsync(Patience, "node_modules/typescript/bin/tsc", "-p", ".");
        Assert.True(compiled.ExitCode == 0, $"The calls do not type-check against the generated client:\n{compiled}");
        var run = await tool.NodeAsync(Patience, "out/calls.js", server.BaseAddress.ToString(), Password);
        Assert.True(run.ExitCode == 0, $"The generated client's calls failed:\n{run}");

        var summary = JsonSerializer.Deserialize<Summary>(run.StdOut.Trim().Split('\n')[^1], JsonSerializerOptions.Web)!;
        using var signIn = new ParleyClient(server.BaseAddress);
        using var alice = new ParleyClient(server.BaseAddress, (await signIn.SignInAsync(summary.Alice, Password)).Token);
        var history = (await alice.GetHistoryAsync(summary.Room, after: 0)).Messages;
        Assert.Contains(history, m => m.Id == summary.Message && m.Kind == MessageKind.Message && m.Text.StartsWith("hello from a generated client"));
        Assert.Contains(history, m => m.Id == summary.BroadcastMessage && m.Media is { Broadcast: true, MediaType: "image/png" });
        // A fresh server holds no copy: the bytes came over tus, through the generated client.
        var transfer = await alice.GetTransferAsync(summary.Transfer);
        Assert.Equal((TransferState.Delivered, DedupTier.None, "none"), (transfer.State, transfer.Dedup, summary.Dedup));
        Assert.Equal(1, summary.Reached);
        Assert.Equal(PakeState.Requested, (await alice.GetPassphraseSessionAsync(summary.PassphraseSession)).State);
    }
}
