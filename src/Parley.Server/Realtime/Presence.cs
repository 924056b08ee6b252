using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Realtime;
using Parley.Server.Storage;

namespace Parley.Server.Realtime;

/// <summary>
/// Who is online: one row per open hub connection, in the database every node shares, so a user connected to
/// any node of a cluster is online for members connected to any other (a per-node count would be wrong there).
/// Each row is a lease its node renews (<see cref="PresenceLeases"/>); the rows of a node that died expire
/// on their own. Every change is announced as a <see cref="LiveEvents.Presence"/> hint; the members list is the truth.
/// </summary>
public sealed class Presence(ParleyDbContext db, LiveNotifier live, PresenceNode node, TimeProvider clock)
{
    /// <summary>How long a connection counts as online without its node renewing it: a dead node's users go offline within this.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    public static readonly TimeSpan RenewEvery = Lease / 3;

    /// <summary>The users online now: every member query filters by lease, so an expired row never counts, swept or not.</summary>
    public static IQueryable<string> OnlineUserIds(ParleyDbContext db, DateTimeOffset now) =>
        db.LiveConnections.Where(c => c.ExpiresAt > now).Select(c => c.UserId);

    public async Task Connected(string userId, string connectionId, CancellationToken ct)
    {
        node.Connections.TryAdd(connectionId, 0);
        db.LiveConnections.Add(new LiveConnection { ConnectionId = connectionId, UserId = userId, NodeId = node.Id, ExpiresAt = clock.Now() + Lease });
        await db.SaveChangesAsync(ct);
        await Announce([userId], ct);
    }

    public async Task Disconnected(string userId, string connectionId, CancellationToken ct)
    {
        node.Connections.TryRemove(connectionId, out _);
        await db.LiveConnections.Where(c => c.ConnectionId == connectionId).ExecuteDeleteAsync(ct);
        await Announce([userId], ct);
    }

    /// <summary>Renews the leases of this node's open connections, and removes (and announces) the expired rows of every node.</summary>
    public async Task RenewAndSweep(CancellationToken ct)
    {
        var now = clock.Now();
        var until = now + Lease;
        var open = node.Connections.Keys.ToList();
        await db.LiveConnections.Where(c => c.NodeId == node.Id && open.Contains(c.ConnectionId))
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.ExpiresAt, until), ct);
        var expired = await db.LiveConnections.Where(c => c.ExpiresAt <= now).Select(c => c.UserId).Distinct().ToListAsync(ct);
        if (expired.Count == 0) return;
        await db.LiveConnections.Where(c => c.ExpiresAt <= now).ExecuteDeleteAsync(ct);
        await Announce(expired, ct);
    }

    /// <summary>Tells each user and everyone who shares a room with them whether they are online now.</summary>
    private async Task Announce(IReadOnlyList<string> userIds, CancellationToken ct)
    {
        var now = clock.Now();
        var users = await db.Users.Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.UserName, Online = OnlineUserIds(db, now).Contains(u.Id) })
            .ToListAsync(ct);
        foreach (var user in users)
        {
            var rooms = db.RoomMembers.Where(m => m.UserId == user.Id).Select(m => m.RoomId);
            var audience = await db.RoomMembers.Where(m => rooms.Contains(m.RoomId)).Select(m => m.UserId).Distinct().ToListAsync(ct);
            if (!audience.Contains(user.Id)) audience.Add(user.Id);
            await live.Presence(new PresenceEvent(user.Id, user.UserName, user.Online), audience, ct);
        }
    }
}

/// <summary>This process as a holder of presence leases: its id, and the hub connections open here.</summary>
public sealed class PresenceNode
{
    public string Id { get; } = Ids.New("n");

    public ConcurrentDictionary<string, byte> Connections { get; } = new();
}

/// <summary>Renews this node's presence leases and sweeps expired ones, every <see cref="Presence.RenewEvery"/>.</summary>
public sealed class PresenceLeases(IServiceScopeFactory scopes, TimeProvider clock, ILogger<PresenceLeases> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Presence.RenewEvery, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<Presence>().RenewAndSweep(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The next round tries again; a lease is three rounds long, so one failed round costs nothing.
                log.LogWarning(e, "Renewing presence leases failed.");
            }
        }
    }
}
