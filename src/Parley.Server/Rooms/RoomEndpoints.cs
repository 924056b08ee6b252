using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Accounts;
using Parley.Core.Problems;
using Parley.Core.Realtime;
using Parley.Core.Rooms;
using Parley.Server.Accounts;
using Parley.Server.ApiDocs;
using Parley.Server.Problems;
using Parley.Server.Realtime;
using Parley.Server.Storage;

namespace Parley.Server.Rooms;

/// <summary>
/// Group rooms: create, invite, join or decline (only when invited), leave, list, members.
/// Every operation on an existing room checks membership first.
/// </summary>
public static class RoomEndpoints
{
    public static void MapRoomEndpoints(this IEndpointRouteBuilder app)
    {
        var rooms = app.MapGroup("/api/rooms").WithTags("Rooms").RequireAuthorization();
        rooms.MapPost("/", Create)
            .WithName("CreateRoom").WithSummary("Create a group room")
            .WithDescription("Creates a group room (1–100 printable characters) with the caller as its only member.")
            .ProducesProblems(ProblemCodes.RoomInvalidName);
        rooms.MapGet("/", List)
            .WithName("ListRooms").WithSummary("List my rooms and invitations")
            .WithDescription("The rooms the caller is a member of, each with its last sequence number, and the invitations waiting for the caller.");
        rooms.MapGet("/{roomId}", Get)
            .WithName("GetRoom").WithSummary("Get a room").WithDescription("One room the caller is a member of.")
            .ProducesProblems(RoomAccess.Refusals);
        rooms.MapGet("/{roomId}/members", Members)
            .WithName("ListRoomMembers").WithSummary("List a room's members")
            .WithDescription("The members in the order they joined, each with whether they are online now (a hint; see docs/messaging.md).")
            .ProducesProblems(RoomAccess.Refusals);
        rooms.MapPost("/{roomId}/invitations", Invite)
            .WithName("InviteToRoom").WithSummary("Invite a user")
            .WithDescription("Invites a user by name; the invitee is told live and joins with POST …/join. Inviting twice is inviting once.")
            .ProducesProblems([.. RoomAccess.Refusals, ProblemCodes.RoomDirectFixed, ProblemCodes.UserNotFound, ProblemCodes.RoomAlreadyMember]);
        rooms.MapPost("/{roomId}/join", Join)
            .WithName("JoinRoom").WithSummary("Join a room").WithDescription("Uses the caller's invitation. Joining a room one is in already answers the room.")
            .ProducesProblems(ProblemCodes.RoomNotFound, ProblemCodes.RoomNotInvited);
        rooms.MapPost("/{roomId}/decline", Decline)
            .WithName("DeclineInvitation").WithSummary("Decline an invitation").WithDescription("Deletes the caller's invitation; joining then needs a new one.")
            .ProducesProblems(ProblemCodes.RoomNotFound, ProblemCodes.RoomNotInvited);
        rooms.MapPost("/{roomId}/leave", Leave)
            .WithName("LeaveRoom").WithSummary("Leave a room").WithDescription("The remaining members and the leaver are told live. A direct conversation cannot be left.")
            .ProducesProblems([.. RoomAccess.Refusals, ProblemCodes.RoomDirectFixed]);
    }

    private static async Task<Results<Created<RoomDto>, ProblemHttpResult>> Create(
        CreateRoomRequest request, ClaimsPrincipal principal, ParleyDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!RoomRules.TryNormalizeName(request.Name, out var name))
            return new Refusal(ProblemCodes.RoomInvalidName, $"Room names are 1–{RoomRules.MaxNameLength} printable characters.").ToProblem();
        var now = clock.Now();
        var room = new Room { Id = Ids.New("r"), Name = name, Kind = RoomKind.Group, CreatedBy = principal.UserId(), CreatedAt = now };
        db.Rooms.Add(room);
        db.RoomMembers.Add(new RoomMember { RoomId = room.Id, UserId = room.CreatedBy, JoinedAt = now });
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/rooms/{room.Id}", new RoomDto(room.Id, room.Name, room.Kind, room.CreatedAt, 0));
    }

    private static async Task<Ok<RoomListDto>> List(ClaimsPrincipal principal, ParleyDbContext db, CancellationToken ct)
    {
        var userId = principal.UserId();
        var mine = db.Rooms.Where(r => db.RoomMembers.Any(m => m.RoomId == r.Id && m.UserId == userId));
        var rooms = await RoomAccess.ViewsFor(db, mine, userId, ct);
        var invitations = await (
                from i in db.RoomInvitations
                where i.UserId == userId
                join r in db.Rooms on i.RoomId equals r.Id
                join u in db.Users on i.InvitedBy equals u.Id
                select new InvitationDto(r.Id, r.Name, u.UserName, i.CreatedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(new RoomListDto(rooms, invitations.OrderBy(i => i.CreatedAt).ToList()));
    }

    private static async Task<Results<Ok<RoomDto>, ProblemHttpResult>> Get(
        string roomId, ClaimsPrincipal principal, ParleyDbContext db, CancellationToken ct)
    {
        var userId = principal.UserId();
        var (room, refusal) = await RoomAccess.RequireMember(db, roomId, userId, ct);
        if (refusal is not null) return refusal.ToProblem();
        var views = await RoomAccess.ViewsFor(db, db.Rooms.Where(r => r.Id == room!.Id), userId, ct);
        return TypedResults.Ok(views.Single());
    }

    /// <summary>The members, each with whether they are online (<see cref="Presence"/>).</summary>
    private static async Task<Results<Ok<MemberDto[]>, ProblemHttpResult>> Members(
        string roomId, ClaimsPrincipal principal, ParleyDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (_, refusal) = await RoomAccess.RequireMember(db, roomId, principal.UserId(), ct);
        if (refusal is not null) return refusal.ToProblem();
        var online = Presence.OnlineUserIds(db, clock.Now());
        var members = await db.RoomMembers.Where(m => m.RoomId == roomId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new MemberDto(u.Id, u.UserName, m.JoinedAt, online.Contains(u.Id)))
            .ToListAsync(ct);
        return TypedResults.Ok(members.OrderBy(m => m.JoinedAt).ToArray());
    }

    private static async Task<Results<Created<InvitationDto>, ProblemHttpResult>> Invite(
        string roomId, InviteRequest request, ClaimsPrincipal principal, ParleyDbContext db, LiveNotifier live,
        TimeProvider clock, CancellationToken ct)
    {
        var (room, refusal) = await RoomAccess.RequireMember(db, roomId, principal.UserId(), ct);
        if (refusal is not null) return refusal.ToProblem();
        if (room!.Kind == RoomKind.Direct)
            return new Refusal(ProblemCodes.RoomDirectFixed, "A direct conversation has exactly two members; create a group room instead.").ToProblem();
        var invitee = AccountRules.TryNormalizeUserName(request.UserName, out var name)
            ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == name, ct)
            : null;
        if (invitee is null) return new Refusal(ProblemCodes.UserNotFound, $"There is no user '{request.UserName}'.").ToProblem();
        if (await db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.UserId == invitee.Id, ct))
            return new Refusal(ProblemCodes.RoomAlreadyMember, $"{invitee.UserName} is already a member.").ToProblem();

        var invitation = await db.RoomInvitations.SingleOrDefaultAsync(i => i.RoomId == roomId && i.UserId == invitee.Id, ct);
        if (invitation is null)
        {
            invitation = new RoomInvitation { RoomId = roomId, UserId = invitee.Id, InvitedBy = principal.UserId(), CreatedAt = clock.Now() };
            db.RoomInvitations.Add(invitation);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // A concurrent invitation of the same user won; inviting twice is the same as once.
            }
        }
        var dto = new InvitationDto(room.Id, room.Name, principal.UserName(), invitation.CreatedAt);
        await live.Invited(dto, invitee.Id, ct);
        return TypedResults.Created($"/api/rooms/{roomId}/invitations", dto);
    }

    private static async Task<Results<Ok<RoomDto>, ProblemHttpResult>> Join(
        string roomId, ClaimsPrincipal principal, ParleyDbContext db, RoomMembership membership, LiveNotifier live, TimeProvider clock,
        CancellationToken ct)
    {
        var userId = principal.UserId();
        var room = await db.Rooms.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roomId, ct);
        if (room is null) return RoomAccess.RoomNotFound(roomId).ToProblem();
        var view = new RoomDto(room.Id, room.Name, room.Kind, room.CreatedAt, room.LastSeq);
        if (await db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.UserId == userId, ct))
            return TypedResults.Ok(view);

        // Consuming the invitation and adding the member commit together: an invitation is used once,
        // and a failed join leaves it in place.
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var consumed = await db.RoomInvitations.Where(i => i.RoomId == roomId && i.UserId == userId).ExecuteDeleteAsync(ct);
            if (consumed == 0)
            {
                // A concurrent join of the same user may have used the invitation a moment ago: joining twice is joining once.
                if (await db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.UserId == userId, ct)) return TypedResults.Ok(view);
                return new Refusal(ProblemCodes.RoomNotInvited, "You need an invitation from a member to join this room.").ToProblem();
            }
            db.RoomMembers.Add(new RoomMember { RoomId = roomId, UserId = userId, JoinedAt = clock.Now() });
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        await membership.Changed(roomId, ct);

        var members = await RoomAccess.MemberIds(db, roomId, ct);
        await live.MemberJoined(new MemberEvent(roomId, userId, principal.UserName()), members, ct);
        return TypedResults.Ok(view);
    }

    /// <summary>Turns down an invitation: it is gone, and only a new invitation lets the user join.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> Decline(
        string roomId, ClaimsPrincipal principal, ParleyDbContext db, CancellationToken ct)
    {
        if (!await db.Rooms.AnyAsync(r => r.Id == roomId, ct)) return RoomAccess.RoomNotFound(roomId).ToProblem();
        var declined = await db.RoomInvitations.Where(i => i.RoomId == roomId && i.UserId == principal.UserId()).ExecuteDeleteAsync(ct);
        return declined == 0
            ? new Refusal(ProblemCodes.RoomNotInvited, "There is no invitation to this room to decline.").ToProblem()
            : TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Leave(
        string roomId, ClaimsPrincipal principal, ParleyDbContext db, RoomMembership membership, LiveNotifier live, CancellationToken ct)
    {
        var userId = principal.UserId();
        var (room, refusal) = await RoomAccess.RequireMember(db, roomId, userId, ct);
        if (refusal is not null) return refusal.ToProblem();
        if (room!.Kind == RoomKind.Direct)
            return new Refusal(ProblemCodes.RoomDirectFixed, "A direct conversation cannot be left.").ToProblem();
        await db.RoomMembers.Where(m => m.RoomId == roomId && m.UserId == userId).ExecuteDeleteAsync(ct);
        // Before anyone is told: from here no post of this node or (once the bus delivers) of another reaches the leaver.
        await membership.Changed(roomId, ct);

        var notify = await RoomAccess.MemberIds(db, roomId, ct);
        notify.Add(userId);
        await live.MemberLeft(new MemberEvent(roomId, userId, principal.UserName()), notify, ct);
        return TypedResults.NoContent();
    }
}
