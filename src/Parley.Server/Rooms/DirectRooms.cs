using Microsoft.EntityFrameworkCore;
using Parley.Core.Accounts;
using Parley.Core.Problems;
using Parley.Core.Rooms;
using Parley.Server.Problems;
using Parley.Server.Storage;

namespace Parley.Server.Rooms;

/// <summary>Sending "to a user" means sending to the pair's one direct room, created on first use.</summary>
public static class DirectRooms
{
    /// <summary>The problem codes <see cref="Resolve"/> refuses with, for the endpoints' OpenAPI declarations.</summary>
    public static readonly string[] Refusals = [ProblemCodes.UserNotFound, ProblemCodes.MessageToSelf];

    /// <summary>The direct room between the sender and <paramref name="userName"/>, or why there can be none.</summary>
    public static async Task<(string? RoomId, Refusal? Refusal)> Resolve(
        ParleyDbContext db, string senderId, string userName, TimeProvider clock, CancellationToken ct)
    {
        var peer = AccountRules.TryNormalizeUserName(userName, out var name)
            ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.UserName == name, ct)
            : null;
        if (peer is null) return (null, new Refusal(ProblemCodes.UserNotFound, $"There is no user '{userName}'."));
        if (peer.Id == senderId) return (null, new Refusal(ProblemCodes.MessageToSelf, "Send a note to yourself in a room of your own instead."));
        return (await FindOrCreate(db, senderId, peer.Id, clock, ct), null);
    }

    /// <summary>The pair's one direct room; the unique key settles two first messages racing to create it.</summary>
    private static async Task<string> FindOrCreate(ParleyDbContext db, string a, string b, TimeProvider clock, CancellationToken ct)
    {
        var key = string.CompareOrdinal(a, b) < 0 ? $"{a}|{b}" : $"{b}|{a}";
        var existing = await db.Rooms.Where(r => r.DirectKey == key).Select(r => r.Id).SingleOrDefaultAsync(ct);
        if (existing is not null) return existing;

        var now = clock.Now();
        var room = new Room { Id = Ids.New("r"), Name = "direct", Kind = RoomKind.Direct, DirectKey = key, CreatedBy = a, CreatedAt = now };
        db.Rooms.Add(room);
        db.RoomMembers.Add(new RoomMember { RoomId = room.Id, UserId = a, JoinedAt = now });
        db.RoomMembers.Add(new RoomMember { RoomId = room.Id, UserId = b, JoinedAt = now });
        try
        {
            await db.SaveChangesAsync(ct);
            return room.Id;
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            return await db.Rooms.Where(r => r.DirectKey == key).Select(r => r.Id).SingleAsync(ct);
        }
    }
}
