using System.Net;
using System.Net.Http.Json;
using Parley.Core.Broadcast;
using Parley.Core.Json;
using Parley.Core.Problems;
using Parley.Server.Broadcast;
using Parley.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Parley.Server.Tests.Broadcast.BroadcastDriver;

namespace Parley.Server.Tests.Broadcast;

/// <summary>
/// The upload and broadcast roles as two servers sharing one database, each knowing the other's
/// address and the node key: tickets issued by one are pushed to, and verified by, the other.
/// </summary>
public sealed class BroadcastRolesTests : IAsyncLifetime
{
    private const string NodeKey = "roles-test-node-key-0123456789";
    private BroadcastNodes _nodes = null!;

    public async Task InitializeAsync() => _nodes = await BroadcastNodes.StartAsync(NodeKey);

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    private static HttpClient With(RunningServer server, TestUser user)
    {
        var http = server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", user.Token);
        return http;
    }

    [Fact]
    public async Task A_ticket_from_the_upload_node_broadcasts_through_the_broadcast_node()
    {
        var onUpload = new Api(_nodes.Upload);
        var alice = await onUpload.NewUser("alice");
        var bob = await onUpload.NewUser("bob");
        var room = await onUpload.NewRoom(alice, bob);
        await using var bobLive = await new Api(_nodes.Broadcast).ConnectLive(bob); // the same token works on both nodes
        var pictures = Pictures(bobLive);
        var picture = Picture(30);

        var ticket = await Ticket(alice, room.Id, picture);
        var result = await Api.Read<BroadcastResultDto>(await RequestBroadcast(With(_nodes.Broadcast, alice), room.Id, ticket));

        Assert.Equal(1, result.Reached);
        Assert.Equal(1, _nodes.Broadcast.Services.GetRequiredService<TicketStore>().Count); // pushed in real time
        var received = await pictures.Reader.ReadAsync().AsTask().Within();
        Assert.NotNull(received.Thumbnail); // made from the picture taken from the upload node
        Assert.Equal(picture, await With(_nodes.Broadcast, bob).GetByteArrayAsync(received.DownloadUrl));
    }

    [Fact]
    public async Task Each_role_refuses_the_others_work_and_names_the_other()
    {
        var alice = await new Api(_nodes.Upload).NewUser("alice");
        var room = await new Api(_nodes.Upload).NewRoom(alice);
        var ticket = await Ticket(alice, room.Id, Picture(31));

        await Api.AssertProblem(await RequestBroadcast(alice.Http, room.Id, ticket), HttpStatusCode.Conflict, ProblemCodes.BroadcastWrongRole);
        var request = Transfer.TransferDriver.Announce(Picture(32), room: room.Id) with { ForBroadcast = true };
        await Api.AssertProblem(await Api.PostJson(With(_nodes.Broadcast, alice), "/api/transfers", await alice.Device.Sign(request)), HttpStatusCode.Conflict, ProblemCodes.BroadcastWrongRole);

        var fromUpload = await _nodes.Upload.CreateHttpClient().GetFromJsonAsync<DiscoveryDto>("/api/discovery", ParleyJson.Options);
        var fromBroadcast = await _nodes.Broadcast.CreateHttpClient().GetFromJsonAsync<DiscoveryDto>("/api/discovery", ParleyJson.Options);
        Assert.Equal(_nodes.Broadcast.BaseAddress, new Uri(fromUpload!.BroadcastUrl!));
        Assert.Equal(_nodes.Upload.BaseAddress, new Uri(fromBroadcast!.UploadUrl!));
    }

    [Fact]
    public async Task A_push_that_never_arrived_is_made_up_for_by_asking_the_upload_node()
    {
        var alice = await new Api(_nodes.Upload).NewUser("alice");
        var room = await new Api(_nodes.Upload).NewRoom(alice);
        var ticket = await Ticket(alice, room.Id, Picture(33));
        _nodes.Broadcast.Services.GetRequiredService<TicketStore>().Clear();

        await Api.Read<BroadcastResultDto>(await RequestBroadcast(With(_nodes.Broadcast, alice), room.Id, ticket));
    }

    [Fact]
    public async Task Node_endpoints_need_the_node_key()
    {
        var anonymous = _nodes.Upload.CreateHttpClient();

        await Api.AssertProblem(await anonymous.GetAsync("/api/nodes/ticket-keys"), HttpStatusCode.Unauthorized, ProblemCodes.NodeUnauthorized);
        await Api.AssertProblem(await _nodes.Broadcast.CreateHttpClient().PostAsJsonAsync("/api/nodes/tickets",
            new TicketPushDto("x", "u", "d", "t", DateTimeOffset.UtcNow), ParleyJson.Options), HttpStatusCode.Unauthorized, ProblemCodes.NodeUnauthorized);
    }
}
