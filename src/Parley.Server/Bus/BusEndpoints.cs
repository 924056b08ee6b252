using Microsoft.AspNetCore.Http.Features;
using Parley.Server.ApiDocs;
using Parley.Server.Transfer;

namespace Parley.Server.Bus;

/// <summary>Where a <see cref="PeerBus"/> delivers: the message runs this node's subscribers and goes no further.</summary>
public static class BusEndpoints
{
    /// <summary>Live events carry thumbnails and long texts; the peer is trusted (node key), so allow more than a client's JSON body.</summary>
    private const long MaxMessageBytes = 4 * 1024 * 1024;

    public static void MapBusEndpoints(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/nodes/bus/{channel}", async (string channel, HttpContext context, NodeBus bus) =>
        {
            context.Features.GetRequiredFeature<IHttpMaxRequestBodySizeFeature>().MaxRequestBodySize = MaxMessageBytes;
            using var reader = new StreamReader(context.Request.Body);
            await bus.DeliverHere(channel, await reader.ReadToEndAsync(context.RequestAborted));
            return TypedResults.NoContent();
        }).WithTags("Nodes").RequireAuthorization(NodeEndpoints.Policy)
            .WithName("DeliverBusMessage").WithSummary("Deliver a bus message (node)")
            .WithDescription("A peer node's bus message for this node's subscribers of the channel (docs/deployment.md).")
            .WithBinaryBody("application/json", "The message, as the channel's subscribers read it.")
            .ProducesProblems(Parley.Core.Problems.ProblemCodes.RequestTooLarge);
}
