using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Broadcast;
using Parley.Core.Json;
using Parley.Core.Transfer;
using Parley.Server.Hosting;
using Parley.Server.Storage;

namespace Parley.Server.Broadcast;

/// <summary>
/// The upload role's ticket desk (SPEC §2 steps 2–4): builds the ticket for a stored picture, signs
/// it, seals it with the current dynamic key when encryption is on, files the authoritative copy,
/// and pushes it to the broadcast role right away.
/// </summary>
public interface ITicketIssuer
{
    Task<string> Issue(Storage.Transfer transfer, CancellationToken ct);
}

public sealed class TicketIssuer(ParleyDbContext db, TicketKeys keys, ITicketPush push, TimeProvider clock, IOptions<ParleyOptions> options) : ITicketIssuer
{
    public async Task<string> Issue(Storage.Transfer transfer, CancellationToken ct)
    {
        using var span = BroadcastMetrics.Tracing.StartActivity("broadcast.ticket.issue");
        var settings = options.Value.Broadcast;
        var now = clock.Now();
        var payload = new TicketPayload(TicketPayload.NewTicketId(), transfer.UserId, transfer.DeviceId ?? "", transfer.RoomId,
            ContentId.Parse(transfer.ContentId), transfer.Size, transfer.MediaType, now, now + settings.TicketLifetime);
        var ticket = TicketCodec.Encode(payload, keys.Signing, settings.EncryptTickets ? await keys.CurrentAsync(ct) : null);
        db.IssuedTickets.Add(new IssuedTicket { TicketId = payload.TicketId, UserId = payload.UserId, Ticket = ticket, ExpiresAt = payload.ExpiresAt });
        await db.SaveChangesAsync(ct);
        await push.Push(new TicketPushDto(payload.TicketId, payload.UserId, payload.DeviceId, ticket, payload.ExpiresAt, transfer.FileName), ct);
        return ticket;
    }

    /// <summary>
    /// The authoritative copy of an issued ticket, with the file name of the transfer that issued it
    /// (found through the user's transfers, which are indexed by user), or null if none was issued.
    /// </summary>
    public static async Task<TicketPushDto?> FindIssued(ParleyDbContext db, string ticketId, CancellationToken ct)
    {
        var issued = await db.IssuedTickets.AsNoTracking().SingleOrDefaultAsync(t => t.TicketId == ticketId, ct);
        if (issued is null) return null;
        var fileName = await db.Transfers.Where(t => t.UserId == issued.UserId && t.Ticket == issued.Ticket).Select(t => t.FileName).FirstOrDefaultAsync(ct);
        return new TicketPushDto(issued.TicketId, issued.UserId, "", issued.Ticket, issued.ExpiresAt, fileName);
    }
}

/// <summary>A broadcast-only node holds no signing key; transfers refuse broadcast requests before reaching here.</summary>
public sealed class NoTicketIssuer : ITicketIssuer
{
    public Task<string> Issue(Storage.Transfer transfer, CancellationToken ct) =>
        throw new InvalidOperationException("A broadcast node does not issue tickets.");
}

/// <summary>How an issued ticket reaches the broadcast role in real time.</summary>
public interface ITicketPush
{
    Task Push(TicketPushDto ticket, CancellationToken ct);
}

/// <summary>Both roles in one process: straight into the store.</summary>
public sealed class LocalTicketPush(TicketStore store) : ITicketPush
{
    public Task Push(TicketPushDto ticket, CancellationToken ct)
    {
        store.Put(ticket);
        return Task.CompletedTask;
    }
}

/// <summary>
/// A separate broadcast node: one node-authenticated POST. A lost push costs nothing but speed, since
/// the broadcast role fetches any ticket it lacks from the upload role.
/// </summary>
public sealed class RemoteTicketPush(HttpClient http, ILogger<RemoteTicketPush> log) : ITicketPush
{
    public async Task Push(TicketPushDto ticket, CancellationToken ct)
    {
        try
        {
            using var response = await http.PostAsJsonAsync("api/nodes/tickets", ticket, ParleyJson.Options, ct);
            if (!response.IsSuccessStatusCode) log.LogWarning("The broadcast node refused a ticket push: {Status}.", (int)response.StatusCode);
        }
        catch (HttpRequestException e)
        {
            log.LogWarning(e, "Could not push ticket {TicketId}; the broadcast node will fetch it when used.", ticket.TicketId);
        }
    }
}

/// <summary>An upload node with no broadcast node configured: clients' broadcast nodes fetch tickets on use.</summary>
public sealed class NoTicketPush : ITicketPush
{
    public Task Push(TicketPushDto ticket, CancellationToken ct) => Task.CompletedTask;
}
