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
    private RunningServer _upload = null!;
    private RunningServer _broadcast = null!;

    public async Task InitializeAsync()
    {
        var data = Path.Combine(Path.GetTempPath(), "parley-roles-" + Guid.NewGuid().ToString("N"));
        int uploadPort = RunningServer.FreePort(), broadcastPort = RunningServer.FreePort();
        _upload = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Role"] = "Upload", ["Parley:Nodes:Key"] = NodeKey, ["Parley:Broadcast:BroadcastUrl"] = $"http://127.0.0.1:{broadcastPort}/",
        }, data, port: uploadPort);
        _broadcast = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Role"] = "Broadcast", ["Parley:Nodes:Key"] = NodeKey, ["Parley:Broadcast:UploadUrl"] = $"http://127.0.0.1:{uploadPort}/",
        }, data, port: broadcastPort);
    }

    public async Task DisposeAsync()
    {
        await _broadcast.StopAsync();
        await _upload.DisposeAsync();
    }

    private static HttpClient With(RunningServer server, TestUser user)
    {
        var http = server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", user.Token);
        return http;
    }

    [Fact]
    public async Task A_ticket_from_the_upload_node_broadcasts_through_the_broadcast_node()
    {
        var onUpload = new Api(_upload);
        var alice = await onUpload.NewUser("alice");
        var bob = await onUpload.NewUser("bob");
        var room = await onUpload.NewRoom(alice, bob);
        await using var bobLive = await new Api(_broadcast).ConnectLive(bob); // the same token works on both nodes
        var pictures = Pictures(bobLive);
        var picture = Picture(30);

        var ticket = await Ticket(alice, room.Id, picture);
        var result = await Api.Read<BroadcastResultDto>(await RequestBroadcast(With(_broadcast, alice), room.Id, ticket));

        Assert.Equal(1, result.Reached);
        Assert.Equal(1, _broadcast.Services.GetRequiredService<TicketStore>().Count); // pushed in real time
        var received = await pictures.Reader.ReadAsync().AsTask().Within();
        Assert.NotNull(received.Thumbnail); // made from the picture taken from the upload node
        Assert.Equal(picture, await With(_broadcast, bob).GetByteArrayAsync(received.DownloadUrl));
    }

    [Fact]
    public async Task Each_role_refuses_the_others_work_and_names_the_other()
    {
        var alice = await new Api(_upload).NewUser("alice");
        var room = await new Api(_upload).NewRoom(alice);
        var ticket = await Ticket(alice, room.Id, Picture(31));

        await Api.AssertProblem(await RequestBroadcast(alice.Http, room.Id, ticket), HttpStatusCode.Conflict, ProblemCodes.BroadcastWrongRole);
        var request = Transfer.TransferDriver.Announce(Picture(32), room: room.Id) with { ForBroadcast = true };
        await Api.AssertProblem(await Api.PostJson(With(_broadcast, alice), "/api/transfers", request), HttpStatusCode.Conflict, ProblemCodes.BroadcastWrongRole);

        var fromUpload = await _upload.CreateHttpClient().GetFromJsonAsync<DiscoveryDto>("/api/discovery", ParleyJson.Options);
        var fromBroadcast = await _broadcast.CreateHttpClient().GetFromJsonAsync<DiscoveryDto>("/api/discovery", ParleyJson.Options);
        Assert.Equal(_broadcast.BaseAddress, new Uri(fromUpload!.BroadcastUrl!));
        Assert.Equal(_upload.BaseAddress, new Uri(fromBroadcast!.UploadUrl!));
    }

    [Fact]
    public async Task A_push_that_never_arrived_is_made_up_for_by_asking_the_upload_node()
    {
        var alice = await new Api(_upload).NewUser("alice");
        var room = await new Api(_upload).NewRoom(alice);
        var ticket = await Ticket(alice, room.Id, Picture(33));
        _broadcast.Services.GetRequiredService<TicketStore>().Clear();

        await Api.Read<BroadcastResultDto>(await RequestBroadcast(With(_broadcast, alice), room.Id, ticket));
    }

    [Fact]
    public async Task Node_endpoints_need_the_node_key()
    {
        var anonymous = _upload.CreateHttpClient();

        await Api.AssertProblem(await anonymous.GetAsync("/api/nodes/ticket-keys"), HttpStatusCode.Unauthorized, ProblemCodes.NodeUnauthorized);
        await Api.AssertProblem(await _broadcast.CreateHttpClient().PostAsJsonAsync("/api/nodes/tickets",
            new TicketPushDto("x", "u", "d", "t", DateTimeOffset.UtcNow), ParleyJson.Options), HttpStatusCode.Unauthorized, ProblemCodes.NodeUnauthorized);
    }
}
