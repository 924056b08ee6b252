using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Bus;
using Parley.Server.Storage;

namespace Parley.Server.Accounts;

/// <summary>A signed-in session as the token check needs it.</summary>
public sealed record KnownSession(string SessionId, string UserId, string UserName, string? DeviceId, DateTimeOffset ExpiresAt);

/// <summary>
/// The sessions behind recently presented tokens, so that a request costs no token lookup in the database.
/// Signing out deletes the row, then <see cref="ForgetHere"/> runs on this node and, through the bus
/// (<see cref="BusChannels.SessionClosed"/>), on every other: the token stops working at once everywhere. A change
/// to the row (a device bound to the session) goes the same way (<see cref="Changed"/>).
/// A read that raced a sign-out is never kept (the generation check), and an entry lives at most
/// <see cref="Lifetime"/>, which bounds a sign-out whose bus message a node missed while Redis was away.
/// Expiry is still checked on every request (<see cref="TokenAuthenticationHandler"/>). Keys are the tokens'
/// SHA-256, as in the database, so the cache holds no usable token.
/// </summary>
public sealed class SessionCache(NodeBus bus, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    /// <summary>Beyond this many sessions the cache starts again empty rather than growing without bound.</summary>
    private const int MaxSessions = 100_000;

    private sealed record Entry(KnownSession Session, DateTimeOffset LoadedAt);

    private readonly ConcurrentDictionary<string, Entry> _byTokenHash = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>The session of a token's hash, or null if no session has that token.</summary>
    public async Task<KnownSession?> Find(ParleyDbContext db, byte[] tokenHash, CancellationToken ct)
    {
        var key = Convert.ToBase64String(tokenHash);
        if (_byTokenHash.TryGetValue(key, out var cached) && clock.GetUtcNow() - cached.LoadedAt < Lifetime) return cached.Session;

        var generation = Interlocked.Read(ref _generation);
        var loadedAt = clock.GetUtcNow();
        var session = await db.Sessions.AsNoTracking()
            .Where(s => s.TokenHash == tokenHash)
            .Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new KnownSession(s.Id, s.UserId, u.UserName, s.DeviceId, s.ExpiresAt))
            .SingleOrDefaultAsync(ct);
        // Unknown tokens are not remembered: anyone can present those, and a lookup of one is what it costs them.
        if (session is null) return null;

        var entry = new Entry(session, loadedAt);
        if (_byTokenHash.Count >= MaxSessions) _byTokenHash.Clear();
        _byTokenHash[key] = entry;
        // A sign-out that committed while we read bumped the generation (before forgetting): drop what we read.
        if (Interlocked.Read(ref _generation) != generation) _byTokenHash.TryRemove(new KeyValuePair<string, Entry>(key, entry));
        return session;
    }

    /// <summary>Call after committing a change to a session's row (a device bound to it): forgets it here at once, then on the other nodes.</summary>
    public Task Changed(string sessionId, CancellationToken ct)
    {
        ForgetHere(sessionId);
        return bus.Publish(BusChannels.SessionChanged, new SessionChanged(sessionId), ct);
    }

    /// <summary>Forgets a session on this node; call after its row is deleted or changed (the bus calls it on the others).</summary>
    public void ForgetHere(string sessionId)
    {
        Interlocked.Increment(ref _generation);
        // Sign-outs are rare next to requests: a scan here keeps the hot path to one dictionary.
        foreach (var (key, entry) in _byTokenHash)
            if (entry.Session.SessionId == sessionId) _byTokenHash.TryRemove(key, out _);
    }
}
