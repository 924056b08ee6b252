using Microsoft.EntityFrameworkCore;
using Parley.Core.Problems;
using Parley.Core.Rooms;
using Parley.Server.Problems;
using Parley.Server.Storage;

namespace Parley.Server.Rooms;

/// <summary>The membership check every room operation starts with, and the room's view for one user.</summary>
public static class RoomAccess
{
    /// <summary>The problem codes <see cref="RequireMember"/> refuses with, for the endpoints' OpenAPI declarations.</summary>
    public static readonly string[] Refusals = [ProblemCodes.RoomNotFound, ProblemCodes.RoomNotMember];

    /// <summary>The room if <paramref name="userId"/> is a member; otherwise the refusal to return.</summary>
    public static async Task<(Room? Room, Refusal? Refusal)> RequireMember(
        ParleyDbContext db, string roomId, string userId, CancellationToken ct)
    {
        var room = await db.Rooms.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roomId, ct);
        if (room is null) return (null, RoomNotFound(roomId));
        if (!await db.RoomMembers.AnyAsync(m => m.RoomId == roomId && m.UserId == userId, ct))
            return (null, NotMember());
        return (room, null);
    }

    /// <summary>The same check on the hot paths (posting, history), answered from <see cref="RoomMembership"/>.</summary>
    public static async Task<(RoomMembers? Room, Refusal? Refusal)> RequireMember(
        RoomMembership membership, ParleyDbContext db, string roomId, string userId, CancellationToken ct)
    {
        var room = await membership.Get(db, roomId, ct);
        if (room is null) return (null, RoomNotFound(roomId));
        if (!room.Members.Contains(userId)) return (null, NotMember());
        return (room, null);
    }

    private static Refusal NotMember() => new(ProblemCodes.RoomNotMember, "You are not a member of this room.");

    public static Refusal RoomNotFound(string roomId) => new(ProblemCodes.RoomNotFound, $"There is no room '{roomId}'.");

    public static Task<List<string>> MemberIds(ParleyDbContext db, string roomId, CancellationToken ct) =>
        db.RoomMembers.Where(m => m.RoomId == roomId).Select(m => m.UserId).ToListAsync(ct);

    /// <summary>Rooms as one user sees them: a direct room is named after the other person.</summary>
    public static async Task<List<RoomDto>> ViewsFor(ParleyDbContext db, IQueryable<Room> rooms, string userId, CancellationToken ct)
    {
        var list = await rooms.AsNoTracking().ToListAsync(ct);
        var directIds = list.Where(r => r.Kind == RoomKind.Direct).Select(r => r.Id).ToList();
        var peers = await db.RoomMembers
            .Where(m => directIds.Contains(m.RoomId) && m.UserId != userId)
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.RoomId, u.UserName })
            .ToDictionaryAsync(p => p.RoomId, p => p.UserName, ct);
        return list
            .Select(r => new RoomDto(r.Id, r.Kind == RoomKind.Direct ? peers.GetValueOrDefault(r.Id, r.Name) : r.Name, r.Kind, r.CreatedAt, r.LastSeq))
            .OrderBy(r => r.CreatedAt)
            .ToList();
    }
}
