using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Broadcast;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.Hosting;
using Parley.Server.Messaging;
using Parley.Server.Problems;
using Parley.Server.Realtime;
using Parley.Server.Rooms;
using Parley.Server.Scanning;
using Parley.Server.Storage;

namespace Parley.Server.Broadcast;

/// <summary>
/// The broadcast role (SPEC §2 step 6, docs/broadcast.md): opens the ticket, checks what it says
/// against the request, compares it with the upload role's copy, uses it up, then takes the
/// picture from the upload role and sends it to the other members of the room. Every refusal
/// happens before anything is delivered.
/// </summary>
public sealed class BroadcastService(
    ParleyDbContext db,
    ITicketAuthority authority,
    TicketStore store,
    MessagePosting posting,
    RoomMembership membership,
    IHubContext<ParleyHub> hub,
    BroadcastMetrics metrics,
    Thumbnails thumbnails,
    TimeProvider clock,
    IOptions<ParleyOptions> options)
{
    /// <summary>The problem codes <see cref="Broadcast"/> refuses with, for the endpoint's OpenAPI declaration.</summary>
    public static readonly string[] Refusals =
    [
        ProblemCodes.BroadcastWrongRole, ProblemCodes.TicketTampered, ProblemCodes.TicketUnknownKey, ProblemCodes.TicketWrongUser,
        ProblemCodes.TicketWrongRoom, .. RoomAccess.Refusals, ProblemCodes.TicketExpired, ProblemCodes.TicketReplayed,
        ProblemCodes.MediaQuarantined, ProblemCodes.BroadcastNotImage, ProblemCodes.BroadcastUploadUnavailable,
    ];

    public async Task<Outcome<BroadcastResultDto>> Broadcast(
        string userId, string userName, string? deviceId, BroadcastRequest request, CancellationToken ct)
    {
        using var span = BroadcastMetrics.Tracing.StartActivity("broadcast.send");
        if (!options.Value.Role.ServesBroadcasts())
            return Refuse(ProblemCodes.BroadcastWrongRole, options.Value.Broadcast.BroadcastUrl is { } elsewhere
                ? $"This node issues tickets; send broadcasts to {elsewhere}."
                : "This node issues tickets and no broadcast node is configured (Parley:Broadcast:BroadcastUrl).");
        try
        {
            var (ticket, refusal) = await Open(request.Ticket, ct);
            if (refusal is not null) return refusal;
            refusal = await CheckClaims(ticket!, userId, deviceId ?? "", request.Room, ct);
            if (refusal is not null) return refusal;
            if (await MatchingIssued(ticket!, request.Ticket, userId, deviceId ?? "", ct) is not { } issued)
                return Refuse(ProblemCodes.TicketTampered, "This ticket is not the one the upload role issued.");
            // A replay is refused before the costly decode; the insert below settles concurrent uses.
            if (await db.ConsumedTickets.AnyAsync(t => t.TicketId == ticket!.TicketId, ct)) return Replayed();
            // A newer feature library may have matched the picture after its ticket was issued (docs/scanning.md).
            if (await QuarantineService.IsQuarantinedAsync(db, ticket!.ContentId.ToString(), ct))
                return Refuse(ProblemCodes.MediaQuarantined, "This picture was quarantined after its ticket was issued: a newer feature library matched it.");
            var thumbnail = await thumbnails.Make(c => authority.OpenPicture(ticket!.ContentId.ToString(), c), ticket!.Size, ct);
            if (thumbnail is null)
                return Refuse(ProblemCodes.BroadcastNotImage, "The picture cannot be decoded: it is corrupt, or larger than this server previews.");
            if (!await UseUp(ticket!, ct)) return Replayed();
            return await FanOut(ticket!, issued.FileName, thumbnail.DataUrl, userId, userName, ct);
        }
        catch (UploadUnavailableException)
        {
            return Refuse(ProblemCodes.BroadcastUploadUnavailable, "The upload role cannot be reached to check this ticket; try again.");
        }
    }

    /// <summary>Decrypts (when the marker says so) and verifies the signature.</summary>
    private async Task<(TicketPayload? Ticket, Refusal? Refusal)> Open(string text, CancellationToken ct)
    {
        if (!TicketCodec.TryReadKeyIds(text, out var signingId, out var dynamicId))
            return (null, Refuse(ProblemCodes.TicketTampered, "This is not a ticket this deployment issued."));
        var signing = await authority.SigningKey(signingId, ct);
        var dynamic = dynamicId is { } id ? await authority.DynamicKey(id, ct) : null;
        return TicketCodec.Decode(text, k => k == signingId ? signing : null, k => k == dynamicId ? dynamic : null, out var ticket) switch
        {
            TicketDefect.None => (ticket, null),
            TicketDefect.UnknownKey => (null, Refuse(ProblemCodes.TicketUnknownKey, "The key this ticket names is not (or no longer) known.")),
            _ => (null, Refuse(ProblemCodes.TicketTampered, "This ticket was altered or forged.")),
        };
    }

    /// <summary>The ticket is bound to one user, device and room, and lives briefly.</summary>
    private async Task<Refusal?> CheckClaims(TicketPayload ticket, string userId, string deviceId, string roomId, CancellationToken ct)
    {
        if (ticket.UserId != userId || ticket.DeviceId != deviceId)
            return Refuse(ProblemCodes.TicketWrongUser, "This ticket was issued to another user or device.");
        if (ticket.RoomId != roomId)
            return Refuse(ProblemCodes.TicketWrongRoom, "This ticket was issued for another room.");
        var (_, refusal) = await RoomAccess.RequireMember(membership, db, roomId, userId, ct);
        if (refusal is not null)
        {
            metrics.Refused(ProblemCodes.RoomNotMember);
            return refusal;
        }
        if (clock.Now() >= ticket.ExpiresAt)
            return Refuse(ProblemCodes.TicketExpired, "This ticket has expired; upload the picture again for a new one.");
        return null;
    }

    /// <summary>
    /// SPEC §2 step 6: the stored copy for this client, else the upload role's; a stored copy that
    /// differs may just be stale (the client holds an older ticket), so the upload role decides.
    /// The issued copy that matched (it carries the picture's file name), or null for no match.
    /// </summary>
    private async Task<TicketPushDto?> MatchingIssued(TicketPayload ticket, string presented, string userId, string deviceId, CancellationToken ct)
    {
        var stored = store.Find(userId, deviceId);
        if (stored?.Ticket == presented)
        {
            metrics.Checked(BroadcastMetrics.Check.StoredMatch);
            return stored;
        }
        metrics.Checked(stored is null ? BroadcastMetrics.Check.NotStored : BroadcastMetrics.Check.Stale);
        var issued = await authority.IssuedTicket(ticket.TicketId, ct);
        return issued?.Ticket == presented ? issued : null;
    }

    /// <summary>
    /// Single use, across every broadcast node: the first insert of the ticket id wins. A replay is an
    /// expected outcome, not an error, so the conflict is settled by the database without an exception
    /// (anyone can replay a ticket; none should be able to fill the error log).
    /// </summary>
    private async Task<bool> UseUp(TicketPayload ticket, CancellationToken ct)
    {
        var expiresAt = StoredTime.InColumn(ticket.ExpiresAt);
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO consumed_tickets (\"TicketId\", \"ExpiresAt\") VALUES ({ticket.TicketId}, {expiresAt}) ON CONFLICT DO NOTHING", ct);
        return inserted == 1;
    }

    private Refusal Replayed() =>
        Refuse(ProblemCodes.TicketReplayed, "This ticket was already used; upload the picture again for a new one.");

    private async Task<BroadcastResultDto> FanOut(TicketPayload ticket, string? fileName, string thumbnail, string userId, string userName, CancellationToken ct)
    {
        var media = new MediaDto(ticket.ContentId.ToString(), ticket.Size, ticket.MediaType, fileName, Broadcast: true);
        var message = await posting.PostMedia(ticket.RoomId, userId, userName, media, ct, BroadcastMessages.ClientMessageId(ticket.TicketId));
        var others = (await membership.Get(db, ticket.RoomId, ct))!.Members.Except(userId);
        var picked = new BroadcastEvent(ticket.RoomId, message.Id, userId, userName, media.ContentId, media.MediaType, media.Size,
            $"/api/media/{message.Id}", thumbnail, message.SentAt, media.FileName);
        await hub.Clients.Users(others).SendAsync(BroadcastLiveEvents.Picture, picked, ct);
        metrics.Broadcast();
        return new BroadcastResultDto(ticket.TicketId, message.Id, others.Count);
    }

    private Refusal Refuse(string code, string detail)
    {
        metrics.Refused(code);
        return new Refusal(code, detail);
    }
}
