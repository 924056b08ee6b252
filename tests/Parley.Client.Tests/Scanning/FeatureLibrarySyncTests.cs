using Parley.Client.Scanning;
using Parley.Core.Problems;
using Parley.Core.Scanning.Features;
using Parley.Testing;

namespace Parley.Client.Tests.Scanning;

/// <summary>The device's copy of the library kept at the server's version: fetched deltas, live updates, operators' imports.</summary>
public sealed class FeatureLibrarySyncTests : IAsyncLifetime
{
    private const string Password = "correct horse battery";
    private readonly string _operatorName = ServerFixture.UniqueName("op");
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-features-").FullName;
    private RunningServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Operators:0"] = _operatorName });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task A_store_follows_imports_by_fetching_and_by_live_updates()
    {
        using var op = await SignedIn(_operatorName);
        using var reader = await SignedIn(ServerFixture.UniqueName("reader"));
        var store = new LocalFeatureStore(Path.Combine(_folder, "library.txt"));

        Assert.Equal(0, (await store.SyncAsync(reader)).Version);
        var first = await op.ImportFeaturesAsync("first.ndb", "Client.First:0:*:41424344\nClient.Skipped:3:*:4142\n");
        Assert.Equal((1, 1, 2), (first.Version, first.Added, Assert.Single(first.Skipped).Line));
        var synced = await store.SyncAsync(reader);
        Assert.Equal(1, synced.Version);
        Assert.Equal("Client.First", Assert.Single(store.Load().Features).Feature.Name);

        var second = await op.ImportFeaturesAsync("second.txt", "parley-features 1\nversion 1\nfeature 1 Client.Second bytes any 4546 A second one\n");
        var update = new LibraryUpdatedEvent(second.Version, first.Version, (await reader.GetFeatureLibraryAsync(first.Version)).Delta);
        var live = await store.ApplyAsync(update, reader);

        Assert.Equal(2, live.Version);
        Assert.Equal(["Client.First", "Client.Second"], store.Load().Features.Select(f => f.Feature.Name).Order());
    }

    [Fact]
    public async Task A_missed_update_is_fetched_and_a_copy_newer_than_the_server_is_replaced()
    {
        using var op = await SignedIn(_operatorName);
        using var reader = await SignedIn(ServerFixture.UniqueName("reader"));
        var behind = new LocalFeatureStore(Path.Combine(_folder, "behind.txt"));
        await op.ImportFeaturesAsync("a.txt", "parley-features 1\nversion 1\nfeature 1 Client.A bytes any 4142 A\n");
        var b = await op.ImportFeaturesAsync("b.txt", "parley-features 1\nversion 1\nfeature 1 Client.B bytes any 4344 B\n");

        // The store is at 0 and the event starts at version 1: applying it would leave a gap, so the store asks.
        var caughtUp = await behind.ApplyAsync(new LibraryUpdatedEvent(b.Version, b.Version - 1, (await reader.GetFeatureLibraryAsync(b.Version - 1)).Delta), reader);
        Assert.Equal(b.Version, caughtUp.Version);
        Assert.Equal(2, caughtUp.Features.Count);

        var ahead = new LocalFeatureStore(Path.Combine(_folder, "ahead.txt"));
        ahead.Save(FeatureText.ParseLibrary("parley-features 1\nversion 40\nfeature 40 Other.Server bytes any 4748 From elsewhere\n"));
        var replaced = await ahead.SyncAsync(reader);
        Assert.Equal(b.Version, replaced.Version);
        Assert.DoesNotContain(ahead.Load().Features, f => f.Feature.Name == "Other.Server");
    }

    [Fact]
    public async Task Someone_not_an_operator_cannot_import()
    {
        using var user = await SignedIn(ServerFixture.UniqueName("user"));

        var refused = await Assert.ThrowsAsync<ParleyApiException>(() => user.ImportFeaturesAsync("x.ndb", "X.Y:0:*:4142\n"));

        Assert.Equal((403, ProblemCodes.ScanOperatorOnly), (refused.Status, refused.Code));
    }

    private async Task<ParleyClient> SignedIn(string name)
    {
        var client = new ParleyClient(_server.BaseAddress);
        await client.RegisterAsync(name, Password);
        await client.SignInAsync(name, Password);
        return client;
    }
}
