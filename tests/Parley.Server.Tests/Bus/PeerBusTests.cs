using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Parley.Core.Broadcast;
using Parley.Core.Messaging;
using Parley.Core.Realtime;
using Parley.Testing;
using static Parley.Server.Tests.Broadcast.BroadcastDriver;

namespace Parley.Server.Tests.Bus;

/// <summary>
/// An upload node and a broadcast node without Redis: each forwards its live events and sign-outs to
/// the other over the node call, so a member gets everything at whichever of the two addresses they use.
/// </summary>
public sealed class PeerBusTests : IAsyncLifetime
{
    private const string NodeKey = "peer-bus-test-node-key-0123456789";
    private BroadcastNodes _nodes = null!;
    private Api _upload = null!, _broadcast = null!;

    public async Task InitializeAsync()
    {
        _nodes = await BroadcastNodes.StartAsync(NodeKey);
        (_upload, _broadcast) = (new Api(_nodes.Upload), new Api(_nodes.Broadcast));
    }

    public async Task DisposeAsync() => await _nodes.DisposeAsync();

    [Fact]
    public async Task A_broadcast_picture_reaches_members_connected_to_the_upload_node()
    {
        var alice = await _upload.NewUser("alice");
        var bob = await _upload.NewUser("bob");
        var room = await _upload.NewRoom(alice, bob);
        await using var bobLive = await _upload.ConnectLive(bob);
        var pictures = Pictures(bobLive);
        var messages = Api.Listen<MessageDto>(bobLive, LiveEvents.Message);

        var ticket = await Ticket(alice, room.Id, Picture(50));
        var result = await Api.Read<BroadcastResultDto>(await RequestBroadcast(_broadcast.As(alice), room.Id, ticket));

        Assert.Equal(result.MessageId, (await pictures.Reader.ReadAsync().AsTask().Within()).MessageId);
        Assert.Equal(result.MessageId, (await messages.Reader.ReadAsync().AsTask().Within()).Id);
    }

    [Fact]
    public async Task Messages_from_the_upload_node_reach_the_broadcast_node_and_sign_out_closes_connections_there()
    {
        var alice = await _upload.NewUser("alice");
        var bob = await _upload.NewUser("bob");
        var room = await _upload.NewRoom(alice, bob);
        await using var bobLive = await _broadcast.ConnectLive(bob);
        var messages = Api.Listen<MessageDto>(bobLive, LiveEvents.Message);
        var closed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        bobLive.Closed += _ =>
        {
            closed.TrySetResult(true);
            return Task.CompletedTask;
        };

        await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("from the upload node"));
        Assert.Equal("from the upload node", (await messages.Reader.ReadAsync().AsTask().Within()).Text);

        Assert.Equal(HttpStatusCode.NoContent, (await bob.Http.DeleteAsync("/api/sessions/current")).StatusCode);
        Assert.True(await closed.Task.Within());
    }

    [Fact]
    public async Task The_bus_endpoint_needs_the_node_key()
    {
        var forged = await _nodes.Broadcast.CreateHttpClient().PostAsync("/api/nodes/bus/sessions.closed", new StringContent("""{"sessionId":"s_x"}"""));
        await Api.AssertProblem(forged, HttpStatusCode.Unauthorized, Core.Problems.ProblemCodes.NodeUnauthorized);
    }
}
