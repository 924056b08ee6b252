using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Rooms;
using Parley.Server.Bus;
using Parley.Server.Realtime;
using Parley.Server.Storage;

namespace Parley.Server.Rooms;

/// <summary>A room's kind and members as this node last read them.</summary>
public sealed record RoomMembers(RoomKind Kind, Audience Members);

/// <summary>
/// Who is in each room, held in memory so that posting a message costs neither a membership query nor a
/// member-list query. Every change of membership calls <see cref="Changed"/> after its commit: this node forgets
/// the room at once and the others on the bus (<see cref="BusChannels.RoomMembersChanged"/>). A read that raced a
/// change is never kept (the generation check below), and an entry lives at most <see cref="Lifetime"/>, which
/// bounds the damage of a bus message lost while Redis was away (the bus delivers at most once).
/// A room is created with its first members in one commit, so a room nobody could see yet needs no invalidation;
/// rooms that do not exist are not remembered.
/// </summary>
public sealed class RoomMembership(NodeBus bus, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    /// <summary>Beyond this many rooms the cache starts again empty rather than growing without bound.</summary>
    private const int MaxRooms = 50_000;

    private sealed record Entry(RoomMembers Room, DateTimeOffset LoadedAt);

    private readonly ConcurrentDictionary<string, Entry> _rooms = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>The room's kind and members, or null if there is no such room.</summary>
    public async Task<RoomMembers?> Get(ParleyDbContext db, string roomId, CancellationToken ct)
    {
        if (_rooms.TryGetValue(roomId, out var cached) && clock.GetUtcNow() - cached.LoadedAt < Lifetime) return cached.Room;

        var generation = Interlocked.Read(ref _generation);
        var loadedAt = clock.GetUtcNow();
        var kind = await db.Rooms.AsNoTracking().Where(r => r.Id == roomId).Select(r => (RoomKind?)r.Kind).SingleOrDefaultAsync(ct);
        if (kind is null) return null;
        var members = await db.RoomMembers.AsNoTracking().Where(m => m.RoomId == roomId).Select(m => m.UserId).ToListAsync(ct);
        var entry = new Entry(new RoomMembers(kind.Value, Audience.Of(members)), loadedAt);

        if (_rooms.Count >= MaxRooms) _rooms.Clear();
        _rooms[roomId] = entry;
        // A change that committed while we read bumped the generation (before forgetting): drop what we read, it may be stale.
        if (Interlocked.Read(ref _generation) != generation) _rooms.TryRemove(new KeyValuePair<string, Entry>(roomId, entry));
        return entry.Room;
    }

    /// <summary>Call after committing a change of the room's members: forgets it here at once, then on the other nodes.</summary>
    public Task Changed(string roomId, CancellationToken ct)
    {
        ForgetHere(roomId);
        return bus.Publish(BusChannels.RoomMembersChanged, new RoomMembersChanged(roomId), ct);
    }

    public void ForgetHere(string roomId)
    {
        Interlocked.Increment(ref _generation);
        _rooms.TryRemove(roomId, out _);
    }
}
