using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Broadcast;
using Parley.Core.Problems;
using Parley.Server.Accounts;
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
            service.Broadcast(user.UserId(), user.UserName(), user.DeviceId(), request, ct)).WithTags("Broadcast").RequireAuthorization();
        app.MapGet("/api/discovery", Discovery).WithTags("Broadcast").AllowAnonymous();
        if (role.IssuesTickets())
            app.MapGet("/api/broadcast/keys", (TicketKeys keys) => TypedResults.Ok(keys.Public())).WithTags("Broadcast").AllowAnonymous();

        var nodes = app.MapGroup("/api/nodes").WithTags("Nodes").RequireAuthorization(NodeEndpoints.Policy);
        if (role.IssuesTickets())
        {
            nodes.MapGet("/tickets/{ticketId}", IssuedTicket);
            nodes.MapGet("/ticket-keys", async (TicketKeys keys, CancellationToken ct) => TypedResults.Ok(await keys.ExportAsync(ct)));
        }
        if (role.ServesBroadcasts())
        {
            nodes.MapPost("/tickets", (TicketPushDto ticket, TicketStore store) =>
            {
                store.Put(ticket);
                return TypedResults.NoContent();
            });
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
            : Problem.NotFound(ProblemCodes.TicketTampered, "No such ticket was issued.");
}
