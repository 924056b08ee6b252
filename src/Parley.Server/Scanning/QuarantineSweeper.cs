using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Server.Storage;

namespace Parley.Server.Scanning;

/// <summary>
/// Retroactive quarantine's driver (docs/scanning.md, "Operators and quarantine"): rescans the stored media against
/// each published library version's new features, once per version across a cluster. A node claims a version with a
/// conditional UPDATE of its <c>RescanClaimedAt</c>, renews the claim while it works, and marks it
/// <c>RescannedAt</c> when done; a claim not renewed for <see cref="ScanningOptions.RescanClaimTimeout"/> (its node
/// died) is taken over. Woken at once by a version published on this node, and every
/// <see cref="ScanningOptions.RescanEvery"/> for versions other nodes published and claims left unfinished.
/// </summary>
public sealed class QuarantineSweeper(IServiceScopeFactory scopes, TimeProvider clock, RescanSignal signal, IOptions<ScanningOptions> options,
    ILogger<QuarantineSweeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield(); // the first sweep must not hold up the server's start
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Rescanning stored media failed; it is tried again at the next period.");
            }
            await signal.WaitAsync(options.Value.RescanEvery, clock, stoppingToken);
        }
    }

    /// <summary>Rescans every version that is free to claim, oldest first, and returns those this call rescanned.</summary>
    public async Task<IReadOnlyList<long>> SweepOnceAsync(CancellationToken ct)
    {
        var rescanned = new List<long>();
        while (await ClaimNextAsync(ct) is { } claim)
        {
            try
            {
                var quarantined = await new BlobRescan(scopes, claim).RunAsync(ct);
                if (await FinishAsync(claim, ct)) rescanned.Add(claim.Version);
                if (quarantined > 0) log.LogWarning("Library version {Version} quarantined {Count} stored media.", claim.Version, quarantined);
            }
            catch (RescanClaimLostException)
            {
                log.LogWarning("Another node took over rescanning library version {Version}; this one stops.", claim.Version);
            }
        }
        return rescanned;
    }

    private async Task<RescanClaim?> ClaimNextAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var now = clock.Now();
        var stale = now - options.Value.RescanClaimTimeout;
        var free = db.FeatureLibraryVersions.Where(v => v.RescannedAt == null && (v.RescanClaimedAt == null || v.RescanClaimedAt < stale));
        foreach (var version in await free.OrderBy(v => v.Version).Select(v => v.Version).Take(16).ToListAsync(ct))
        {
            // Only one node's UPDATE finds the row still free: the claim is that node's.
            var claimed = await free.Where(v => v.Version == version).ExecuteUpdateAsync(set => set.SetProperty(v => v.RescanClaimedAt, now), ct);
            if (claimed == 1) return new RescanClaim(version, now, clock, options.Value.RescanClaimTimeout / 4);
        }
        return null;
    }

    /// <summary>Marks the version rescanned, unless another node took the claim over meanwhile (then it finishes it).</summary>
    private async Task<bool> FinishAsync(RescanClaim claim, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        return await db.FeatureLibraryVersions.Where(v => v.Version == claim.Version && v.RescanClaimedAt == claim.At)
            .ExecuteUpdateAsync(set => set.SetProperty(v => v.RescannedAt, clock.Now()), ct) == 1;
    }
}

/// <summary>One node's claim on rescanning a library version; renewed while the work goes on so no other node takes it over.</summary>
public sealed class RescanClaim(long version, DateTimeOffset at, TimeProvider clock, TimeSpan renewEvery)
{
    public long Version { get; } = version;
    public DateTimeOffset At { get; private set; } = at;

    /// <summary>Renews the claim when it is due. Throws <see cref="RescanClaimLostException"/> when another node holds it now.</summary>
    public async Task RenewIfDueAsync(ParleyDbContext db, CancellationToken ct)
    {
        var now = clock.Now();
        if (now - At < renewEvery) return;
        var renewed = await db.FeatureLibraryVersions.Where(v => v.Version == Version && v.RescanClaimedAt == At)
            .ExecuteUpdateAsync(set => set.SetProperty(v => v.RescanClaimedAt, now), ct);
        if (renewed != 1) throw new RescanClaimLostException();
        At = now;
    }
}

public sealed class RescanClaimLostException() : Exception("Another node took over the rescan.");

/// <summary>Wakes the <see cref="QuarantineSweeper"/> when this node publishes a library version.</summary>
public sealed class RescanSignal
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>Returns when woken or after <paramref name="timeout"/> on <paramref name="clock"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider clock, CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(timeout, clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timer.Token, ct);
        try
        {
            await _wake.Reader.ReadAsync(either.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // the period is over: look for versions other nodes published
        }
    }
}
