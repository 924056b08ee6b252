using Parley.Client.Tests.Transfer;
using Parley.Core.Broadcast;
using Parley.Testing;

namespace Parley.Client.Tests.Broadcast;

/// <summary>
/// The upload and broadcast roles as two servers sharing one data folder: whichever node the client
/// is connected to, discovery sends the ticket request to the upload node and the broadcast to the broadcast node.
/// </summary>
public sealed class BroadcastRolesClientTests : IAsyncLifetime
{
    private const string NodeKey = "client-roles-test-node-key-0123456789";
    private readonly TestFiles _files = new();
    private readonly List<IDisposable> _owned = [];
    private BroadcastNodes _nodes = null!;

    public async Task InitializeAsync() => _nodes = await BroadcastNodes.StartAsync(NodeKey);

    [Fact]
    public async Task Each_half_goes_to_the_node_that_plays_its_role_whichever_node_the_client_knows()
    {
        var alice = await SignedInAsync(_nodes.Upload, "alice");
        var bob = await SignedInAsync(_nodes.Upload, "bob");
        var room = await alice.CreateRoomAsync("roles");
        await alice.InviteAsync(room.Id, "bob");
        await bob.JoinAsync(room.Id);
        await using var bobsLive = new ParleyLive(Track(new ParleyClient(_nodes.Broadcast.BaseAddress, bob.Token)));
        var received = new TaskCompletionSource<BroadcastEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        bobsLive.BroadcastReceived += picture => received.TrySetResult(picture);
        await bobsLive.StartAsync();
        var aliceOnBroadcastNode = Track(new ParleyClient(_nodes.Broadcast.BaseAddress, alice.Token) { Scanning = alice.Scanning });

        var discovered = await alice.DiscoverAsync();
        Assert.Equal(["upload"], discovered.Roles);
        Assert.Equal(_nodes.Broadcast.BaseAddress, new Uri(discovered.BroadcastUrl!));
        var viaUploadNode = await alice.BroadcastAsync(room.Id, (await alice.GetTicketAsync(_files.Write("a.png", TestPictures.Png(seed: 4)).Path, room.Id)).Ticket);
        var viaBroadcastNode = await aliceOnBroadcastNode.BroadcastAsync(room.Id,
            (await aliceOnBroadcastNode.GetTicketAsync(_files.Write("b.png", TestPictures.Png(seed: 5)).Path, room.Id)).Ticket);

        Assert.Equal((1, 1), (viaUploadNode.Reached, viaBroadcastNode.Reached));
        Assert.Equal(viaUploadNode.MessageId, (await received.Task.WaitAsync(ServerFixture.Patience)).MessageId);
    }

    private async Task<ParleyClient> SignedInAsync(RunningServer server, string name)
    {
        var client = Track(new ParleyClient(server.BaseAddress));
        await client.RegisterAsync(name, ServerFixture.Password);
        var session = await client.SignInAsync(name, ServerFixture.Password);
        Track(await client.ScanWithNewDeviceAsync(session.UserId, _files.Folder));
        return client;
    }

    private T Track<T>(T disposable) where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public async Task DisposeAsync()
    {
        foreach (var item in _owned) item.Dispose();
        _files.Dispose();
        await _nodes.DisposeAsync();
    }
}
