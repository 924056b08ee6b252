using Microsoft.EntityFrameworkCore;
using Parley.Core.Scanning.Features;
using Parley.Server.Realtime;
using Parley.Server.Storage;

namespace Parley.Server.Scanning;

/// <summary>
/// The published feature library (docs/scanning.md, "Library over HTTP"): stored as one delta per version in the
/// shared database, cached here as a <see cref="FeatureLibrary"/>. Every read asks the database for the last version
/// (one indexed MAX), so a version another node published is picked up on the next request without a bus message.
/// </summary>
public sealed class FeatureLibraryService(TimeProvider clock, LiveNotifier live, RescanSignal rescans)
{
    /// <summary>Publishes racing on other nodes each cost one retry; this many in a row means something else is wrong.</summary>
    private const int MaxAttempts = 8;

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private FeatureLibrary _cached = FeatureLibrary.Empty;

    /// <summary>The library at the last version any node published.</summary>
    public async Task<FeatureLibrary> CurrentAsync(ParleyDbContext db, CancellationToken ct)
    {
        var latest = await db.FeatureLibraryVersions.MaxAsync(v => (long?)v.Version, ct) ?? 0;
        var cached = Volatile.Read(ref _cached);
        if (cached.Version >= latest) return cached;
        await _refresh.WaitAsync(ct);
        try
        {
            cached = _cached;
            var deltas = await db.FeatureLibraryVersions.AsNoTracking()
                .Where(v => v.Version > cached.Version).OrderBy(v => v.Version).Select(v => v.Delta).ToListAsync(ct);
            foreach (var delta in deltas) cached = cached.Apply(FeatureText.ParseDelta(delta));
            Volatile.Write(ref _cached, cached);
            return cached;
        }
        finally
        {
            _refresh.Release();
        }
    }

    /// <summary>
    /// Publishes the next version with <paramref name="features"/> (same names replaced) and tells every connected
    /// user; this node's <see cref="QuarantineSweeper"/> then rescans the stored media. A version another node stored first makes the insert fail; the change is then rebuilt on top of it.
    /// </summary>
    public async Task<FeatureLibrary> PublishAsync(ParleyDbContext db, IReadOnlyList<Feature> features, string publishedBy, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var current = await CurrentAsync(db, ct);
            var next = current.With(features);
            var delta = FeatureText.Write(next.DeltaSince(current.Version));
            db.FeatureLibraryVersions.Add(new FeatureLibraryVersion
            {
                Version = next.Version, Delta = delta, PublishedBy = publishedBy, PublishedAt = clock.Now(),
            });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                db.ChangeTracker.Clear(); // another node published this version: build on theirs
                continue;
            }
            rescans.Wake(); // stored media is rescanned against the new features (QuarantineSweeper)
            var connected = await Presence.OnlineUserIds(db, clock.Now()).Distinct().ToListAsync(ct);
            await live.LibraryUpdated(new LibraryUpdatedEvent(next.Version, current.Version, delta), connected, ct);
            return next;
        }
    }
}
