using Microsoft.EntityFrameworkCore;
using System.Net;
using System.Net.Http.Json;
using Parley.Core.Json;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Testing;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Transfer;

/// <summary>An edge and a central node, each a real server with its own database, talking over loopback.</summary>
public sealed class EdgeCentralTests : IAsyncLifetime
{
    private const string NodeKey = "test-node-key-0123456789";
    private RunningServer _central = null!;
    private RunningServer _edge = null!;

    public async Task InitializeAsync()
    {
        _central = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Role"] = "Central", ["Parley:Nodes:Key"] = NodeKey });
        _edge = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Role"] = "Edge", ["Parley:CentralUrl"] = _central.BaseAddress.ToString(), ["Parley:Nodes:Key"] = NodeKey,
        });
    }

    public async Task DisposeAsync()
    {
        await _edge.DisposeAsync();
        await _central.DisposeAsync();
    }

    [Fact]
    public async Task Content_central_has_is_delivered_on_the_edge_without_upload()
    {
        var content = RandomPicture(700_000);
        var onCentral = new Api(_central);
        var uploader = await onCentral.NewUser();
        await Send(uploader, content, room: (await onCentral.NewRoom(uploader)).Id);
        var onEdge = new Api(_edge);
        var alice = await onEdge.NewUser("alice");
        var bob = await onEdge.NewUser("bob");

        var delivered = await CreateAndProve(alice, Announce(content, to: bob.Name), content);

        Assert.Equal((TransferState.Delivered, DedupTier.Central), (delivered.State, delivered.Dedup));
        Assert.Equal(content, await bob.Http.GetByteArrayAsync($"/api/media/{delivered.Message!.Id}"));
        // The edge keeps its copy: the next sender of the same content is a local hit.
        var again = await CreateAndProve(bob, Announce(content, to: alice.Name), content);
        Assert.Equal(DedupTier.Local, again.Dedup);
    }

    [Fact]
    public async Task A_wrong_proof_for_central_content_moves_no_bytes()
    {
        var content = RandomPicture(100_000);
        var onCentral = new Api(_central);
        var uploader = await onCentral.NewUser();
        await Send(uploader, content, room: (await onCentral.NewRoom(uploader)).Id);
        var mallory = await new Api(_edge).NewUser("mallory");

        var answer = await CreateAndProve(mallory, Announce(content, room: (await new Api(_edge).NewRoom(mallory)).Id), new byte[content.Length]);

        Assert.Equal((TransferState.Upload, DedupTier.None), (answer.State, answer.Dedup)); // as if central had nothing
        var id = ContentId.Of(content).ToString();
        Assert.False(await new Api(_edge).InDatabase(db => db.Blobs.AnyAsync(b => b.Id == id))); // still only at central
    }

    [Fact]
    public async Task Content_no_tier_has_is_uploaded_to_the_edge()
    {
        var content = RandomPicture(60_000);
        var onEdge = new Api(_edge);
        var alice = await onEdge.NewUser();

        var delivered = await Send(alice, content, room: (await onEdge.NewRoom(alice)).Id);

        Assert.Equal((TransferState.Delivered, DedupTier.None), (delivered.State, delivered.Dedup));
        Assert.Equal(content, await alice.Http.GetByteArrayAsync($"/api/media/{delivered.Message!.Id}"));
    }

    [Fact]
    public async Task Node_calls_need_the_node_key()
    {
        var query = new CentralQueryRequest(ContentId.Of([1]).ToString(), 1, null, new ChallengeDto(Convert.ToBase64String(new byte[32]), OwnershipChallenge.DefaultBlockLength, OwnershipChallenge.DefaultBlocks));
        var anonymous = _central.CreateHttpClient();
        await Api.AssertProblem(await anonymous.PostAsJsonAsync("/api/nodes/blobs/query", query, ParleyJson.Options), HttpStatusCode.Unauthorized, ProblemCodes.NodeUnauthorized);

        anonymous.DefaultRequestHeaders.Authorization = new("ParleyNode", "guessed-key");
        await Api.AssertProblem(await anonymous.PostAsJsonAsync("/api/nodes/blobs/query", query, ParleyJson.Options), HttpStatusCode.Unauthorized, ProblemCodes.NodeUnauthorized);

        var user = await new Api(_central).NewUser();
        await Api.AssertProblem(await user.Http.GetAsync($"/api/nodes/blobs/{query.ContentId}"), HttpStatusCode.Unauthorized, ProblemCodes.NodeUnauthorized);
    }

    [Fact]
    public async Task An_edge_whose_central_is_down_takes_the_upload_itself()
    {
        await using var orphan = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Role"] = "Edge", ["Parley:CentralUrl"] = "http://127.0.0.1:1/", ["Parley:Nodes:Key"] = NodeKey,
        });
        var alice = await new Api(orphan).NewUser();

        var content = RandomPicture(1000);
        var announced = await CreateAndProve(alice, Announce(content, room: (await new Api(orphan).NewRoom(alice)).Id), content);

        Assert.Equal((TransferState.Upload, DedupTier.None), (announced.State, announced.Dedup));
    }
}
