using System.Diagnostics;
using OpenTelemetry.Trace;
using Parley.Core.Transfer;
using Parley.Server.Broadcast;
using Parley.Server.Transfer;
using Parley.Testing;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Telemetry;

/// <summary>Traces cross nodes: the caller's span is the parent of the span the called node records.</summary>
public sealed class TracingTests
{
    private const string NodeKey = "tracing-test-node-key-0123456789";

    [Fact]
    public async Task A_transfer_is_traced_from_the_client_request_through_the_edge_to_central()
    {
        var spans = new SpanLog();
        await using var central = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Role"] = "Central", ["Parley:Nodes:Key"] = NodeKey });
        await using var edge = await RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Role"] = "Edge", ["Parley:CentralUrl"] = central.BaseAddress.ToString(), ["Parley:Nodes:Key"] = NodeKey,
        }, configureServices: services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        var content = RandomPicture(90_000);
        var onCentral = new Api(central);
        var uploader = await onCentral.NewUser();
        await Send(uploader, content, room: (await onCentral.NewRoom(uploader)).Id);
        var alice = await new Api(edge).NewUser();

        var delivered = await CreateAndProve(alice, Announce(content, room: (await new Api(edge).NewRoom(alice)).Id), content);

        Assert.Equal(DedupTier.Central, delivered.Dedup);
        // Other tests' edges query their central too: this edge's span is the one under a request to this edge's port.
        var query = await spans.WaitFor(s => s.Source.Name == TransferMetrics.Name && s.OperationName == "transfer.central.query"
            && spans.RequestOf(s) is { } request && Port(request) == edge.BaseAddress.Port);
        var clientRequest = spans.RequestOf(query)!;
        Assert.StartsWith("/api/transfers", (string?)clientRequest.GetTagItem("url.path"));
        var call = await spans.WaitFor(s => s.ParentSpanId == query.SpanId && IsHttpCall(s));
        var atCentral = await spans.WaitFor(s => s.ParentSpanId == call.SpanId && s.Kind == ActivityKind.Server);
        Assert.Equal((central.BaseAddress.Port, "/api/nodes/blobs/query"), (Port(atCentral), (string?)atCentral.GetTagItem("url.path")));
        Assert.Equal(clientRequest.TraceId, atCentral.TraceId);
    }

    [Fact]
    public async Task A_broadcast_ticket_is_traced_from_the_upload_node_to_the_broadcast_node()
    {
        var spans = new SpanLog();
        await using var nodes = await BroadcastNodes.StartAsync(NodeKey,
            configureUpload: services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        var onUpload = new Api(nodes.Upload);
        var alice = await onUpload.NewUser();
        var room = await onUpload.NewRoom(alice);

        await Broadcast.BroadcastDriver.Ticket(alice, room.Id, Broadcast.BroadcastDriver.Picture(40));

        var issue = await spans.WaitFor(s => s.Source.Name == BroadcastMetrics.Name && s.OperationName == "broadcast.ticket.issue"
            && spans.RequestOf(s) is { } request && Port(request) == nodes.Upload.BaseAddress.Port);
        var push = await spans.WaitFor(s => s.ParentSpanId == issue.SpanId && IsHttpCall(s));
        var atBroadcast = await spans.WaitFor(s => s.ParentSpanId == push.SpanId && s.Kind == ActivityKind.Server);
        Assert.Equal((nodes.Broadcast.BaseAddress.Port, "/api/nodes/tickets"), (Port(atBroadcast), (string?)atBroadcast.GetTagItem("url.path")));
    }

    /// <summary>An outgoing HTTP call (database calls are client spans too).</summary>
    private static bool IsHttpCall(Activity span) => span.Kind == ActivityKind.Client && span.GetTagItem("http.request.method") is not null;

    private static int? Port(Activity server) => server.GetTagItem("server.port") is { } port ? Convert.ToInt32(port) : null;
}
