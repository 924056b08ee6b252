using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Broadcast;
using Parley.Core.Problems;
using Parley.Server.Accounts;
using Parley.Server.ApiDocs;
using Parley.Server.Hosting;
using Parley.Server.Problems;
using Parley.Server.Storage;
using Parley.Server.Transfer;

namespace Parley.Server.Broadcast;

/// <summary>Broadcast requests, discovery of the roles, and the node calls between upload and broadcast roles.</summary>
public static class BroadcastEndpoints
{
    public static void MapBroadcastEndpoints(this IEndpointRouteBuilder app, NodeRole role)
    {
        app.MapPost("/api/broadcasts", (BroadcastRequest request, ClaimsPrincipal user, BroadcastService service, CancellationToken ct) =>
                service.Broadcast(user.UserId(), user.UserName(), user.DeviceId(), request, ct).ToOk()).WithTags("Broadcast").RequireAuthorization()
            .WithName("Broadcast").WithSummary("Broadcast a picture")
            .WithDescription("Presents the ticket a broadcast transfer delivered (to this user, device and room, once, briefly). The broadcast role "
                + "checks it, takes the picture from the upload role and sends a thumbnail live to the room's other members (docs/broadcast.md).")
            .ProducesProblems(BroadcastService.Refusals);
        app.MapGet("/api/discovery", Discovery).WithTags("Broadcast").AllowAnonymous()
            .WithName("Discover").WithSummary("Find the upload and broadcast roles")
            .WithDescription("The roles this node plays and where the other role is, so a client given either address finds both.");
        if (role.IssuesTickets())
            app.MapGet("/api/broadcast/keys", (TicketKeys keys) => TypedResults.Ok(keys.Public())).WithTags("Broadcast").AllowAnonymous()
                .WithName("GetTicketKeys").WithSummary("Ticket verification keys")
                .WithDescription("The public keys that broadcast tickets are signed with, so anyone can verify a ticket.");

        var nodes = app.MapGroup("/api/nodes").WithTags("Nodes").RequireAuthorization(NodeEndpoints.Policy);
        if (role.IssuesTickets())
        {
            nodes.MapGet("/tickets/{ticketId}", IssuedTicket)
                .WithName("GetIssuedTicket").WithSummary("Get an issued ticket (node)")
                .WithDescription("The upload role's copy of a ticket, for a broadcast node to compare with the one presented.")
                .ProducesProblems(ProblemCodes.NotFound);
            nodes.MapGet("/ticket-keys", async (TicketKeys keys, CancellationToken ct) => TypedResults.Ok(await keys.ExportAsync(ct)))
                .WithName("ExportTicketKeys").WithSummary("Export the ticket keys (node)")
                .WithDescription("The keys a broadcast node needs to open tickets, for a broadcast node of this deployment.");
        }
        if (role.ServesBroadcasts())
        {
            nodes.MapPost("/tickets", (TicketPushDto ticket, TicketStore store) =>
            {
                store.Put(ticket);
                return TypedResults.NoContent();
            }).WithName("PushTicket").WithSummary("Push an issued ticket (node)")
                .WithDescription("The upload role hands a broadcast node a ticket it issued, so the broadcast needs no call back.");
        }
    }

    /// <summary>Each role names where the other is, so a client given either address finds both.</summary>
    private static Ok<DiscoveryDto> Discovery(IOptions<ParleyOptions> options)
    {
        var o = options.Value;
        var roles = new List<string> { o.Role.ToString().ToLowerInvariant() };
        if (o.Role is not (NodeRole.Upload or NodeRole.Broadcast)) roles.AddRange(["upload", "broadcast"]);
        return TypedResults.Ok(new DiscoveryDto(roles, o.Broadcast.UploadUrl, o.Broadcast.BroadcastUrl));
    }

    private static async Task<Results<Ok<TicketPushDto>, ProblemHttpResult>> IssuedTicket(string ticketId, ParleyDbContext db, CancellationToken ct) =>
        await TicketIssuer.FindIssued(db, ticketId, ct) is { } issued
            ? TypedResults.Ok(issued)
            : new Refusal(ProblemCodes.NotFound, "No such ticket was issued.").ToProblem();
}
