using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Scanning.Features;
using Parley.Server.Scanning;
using Parley.Server.Storage;
using Parley.Testing;
using Parley.Testing.Scanning;
using static Parley.Server.Tests.Scanning.QuarantineDriver;

namespace Parley.Server.Tests.Scanning;

/// <summary>
/// One rescan per library version across a cluster: sweepers of two "nodes" (two <see cref="QuarantineSweeper"/>s on one
/// database, on a clock the test moves) claim, renew and take over. The server's own sweeper runs only at start here.
/// </summary>
public sealed class QuarantineClaimTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private RunningServer _server = null!;
    private Api _api = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Scanning:RescanEvery"] = "01:00:00" });
        _api = new Api(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private QuarantineSweeper NewNode() => ActivatorUtilities.CreateInstance<QuarantineSweeper>(_server.Services, (TimeProvider)_clock);

    [Fact]
    public async Task Two_nodes_sweeping_at_once_rescan_a_version_once()
    {
        var (alice, payload) = (await _api.NewUser(), NewPayload());
        byte[] carrier = [.. MediaSamples.Png(), .. payload];
        var shared = await Delivered(_api, alice, (await _api.NewRoom(alice)).Id, carrier);
        var version = await StoreVersion(Derived(payload));
        var (first, second) = (NewNode(), NewNode());

        var swept = await Task.WhenAll(first.SweepOnceAsync(CancellationToken.None), second.SweepOnceAsync(CancellationToken.None));

        Assert.Equal([version], swept.SelectMany(s => s));
        await AssertQuarantined(alice, shared);
        Assert.Empty(await first.SweepOnceAsync(CancellationToken.None));
        Assert.NotNull(await _api.InDatabase(db => db.FeatureLibraryVersions.Where(v => v.Version == version).Select(v => v.RescannedAt).SingleAsync()));
    }

    [Fact]
    public async Task A_claim_left_by_a_stopped_node_is_taken_over_after_the_timeout()
    {
        var (alice, payload) = (await _api.NewUser(), NewPayload());
        byte[] carrier = [.. MediaSamples.Png(), .. payload];
        var shared = await Delivered(_api, alice, (await _api.NewRoom(alice)).Id, carrier);
        var version = await StoreVersion(Derived(payload), claimedAt: _clock.Now()); // claimed by a node that then stopped
        var node = NewNode();

        Assert.Empty(await node.SweepOnceAsync(CancellationToken.None));
        await AssertServed(alice, shared, carrier);
        _clock.Advance(TimeSpan.FromMinutes(9));
        Assert.Empty(await node.SweepOnceAsync(CancellationToken.None));

        _clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal([version], await node.SweepOnceAsync(CancellationToken.None));
        await AssertQuarantined(alice, shared);
    }

    [Fact]
    public async Task A_working_node_renews_its_claim_and_stops_when_another_took_it_over()
    {
        var version = await StoreVersion(Derived(NewPayload()), claimedAt: _clock.Now());
        var claim = new RescanClaim(version, _clock.Now(), _clock, TimeSpan.FromMinutes(2));

        _clock.Advance(TimeSpan.FromMinutes(1));
        await _api.InDatabase(db => Renew(claim, db)); // not due: nothing written
        Assert.Equal(_clock.Now() - TimeSpan.FromMinutes(1), await ClaimedAt(version));
        _clock.Advance(TimeSpan.FromMinutes(1));
        await _api.InDatabase(db => Renew(claim, db));
        Assert.Equal(_clock.Now(), await ClaimedAt(version));

        await _api.InDatabase(db => db.FeatureLibraryVersions.Where(v => v.Version == version)
            .ExecuteUpdateAsync(set => set.SetProperty(v => v.RescanClaimedAt, _clock.Now().AddSeconds(1)))); // another node's
        _clock.Advance(TimeSpan.FromMinutes(2));
        await Assert.ThrowsAsync<RescanClaimLostException>(() => _api.InDatabase(db => Renew(claim, db)));
    }

    [Fact]
    public async Task The_sweeper_waits_for_its_period_or_a_publish_whichever_comes_first()
    {
        var signal = new RescanSignal();
        var clock = new FakeTimeProvider();

        var period = signal.WaitAsync(TimeSpan.FromSeconds(30), clock, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(period.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        await period.WaitAsync(TimeSpan.FromSeconds(10));

        var woken = signal.WaitAsync(TimeSpan.FromHours(1), clock, CancellationToken.None);
        Assert.False(woken.IsCompleted);
        signal.Wake();
        await woken.WaitAsync(TimeSpan.FromSeconds(10));

        // A publish during a sweep is not lost: the next wait returns at once.
        signal.Wake();
        signal.Wake();
        await signal.WaitAsync(TimeSpan.FromHours(1), clock, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(signal.WaitAsync(TimeSpan.FromHours(1), clock, CancellationToken.None).IsCompleted);
    }

    private static async Task<bool> Renew(RescanClaim claim, ParleyDbContext db)
    {
        await claim.RenewIfDueAsync(db, CancellationToken.None);
        return true;
    }

    private Task<DateTimeOffset?> ClaimedAt(long version) =>
        _api.InDatabase(db => db.FeatureLibraryVersions.Where(v => v.Version == version).Select(v => v.RescanClaimedAt).SingleAsync());

    /// <summary>A version as another node stores it: in the database only, so this node's sweeper is not woken.</summary>
    private Task<long> StoreVersion(IReadOnlyList<Feature> features, DateTimeOffset? claimedAt = null) =>
        _api.InDatabase(async db =>
        {
            var current = await _server.Services.GetRequiredService<FeatureLibraryService>().CurrentAsync(db, CancellationToken.None);
            var next = current.With(features);
            db.FeatureLibraryVersions.Add(new FeatureLibraryVersion
            {
                Version = next.Version, Delta = FeatureText.Write(next.DeltaSince(current.Version)), PublishedBy = "other-node",
                PublishedAt = _clock.Now(), RescanClaimedAt = claimedAt,
            });
            await db.SaveChangesAsync();
            return next.Version;
        });
}
