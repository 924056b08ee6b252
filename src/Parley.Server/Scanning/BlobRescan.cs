using Microsoft.EntityFrameworkCore;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Core.Scanning.Structure;
using Parley.Server.Storage;
using Parley.Server.Transfer;

namespace Parley.Server.Scanning;

/// <summary>
/// One library version's rescan: every stored blob, read once through a matcher of only the features that version
/// added or changed (the earlier ones were checked when the media was shared, or by earlier rescans), each match
/// quarantined. Payload features need the payloads the structural checks find, so those blobs are read twice.
/// </summary>
internal sealed class BlobRescan(IServiceScopeFactory scopes, RescanClaim claim)
{
    /// <summary>Blobs read per database round trip (and per change tracker).</summary>
    private const int PageSize = 64;

    /// <returns>How many blobs it quarantined.</returns>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var matcher = await MatcherAsync(ct);
        if (matcher is null) return 0;
        var quarantined = 0;
        var after = "";
        while (true)
        {
            using var scope = scopes.CreateScope();
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<ParleyDbContext>();
            var page = await db.Blobs.AsNoTracking().Where(b => string.Compare(b.Id, after) > 0).OrderBy(b => b.Id)
                .Select(b => new { b.Id, b.Size }).Take(PageSize).ToListAsync(ct);
            if (page.Count == 0) return quarantined;
            after = page[^1].Id;
            var ids = page.Select(b => b.Id).ToList();
            // Quarantined already, or released by an operator who saw this version: nothing to learn.
            var settled = (await db.Quarantines.Where(q => ids.Contains(q.ContentId) && (q.ReleasedAt == null || q.ReleasedAtVersion >= claim.Version))
                .Select(q => q.ContentId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            foreach (var blob in page.Where(b => !settled.Contains(b.Id)))
            {
                var findings = await MatchAsync(services, matcher, blob.Id, blob.Size, ct);
                if (findings.Count > 0 && await services.GetRequiredService<QuarantineService>().QuarantineAsync(blob.Id, claim.Version, findings, ct))
                    quarantined++;
                await claim.RenewIfDueAsync(db, ct);
            }
        }
    }

    /// <summary>A matcher of the features the version added; null when it only removed some.</summary>
    private async Task<FeatureMatcher?> MatcherAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var delta = FeatureText.ParseDelta(await db.FeatureLibraryVersions.Where(v => v.Version == claim.Version).Select(v => v.Delta).SingleAsync(ct));
        return delta.Added.Count == 0 ? null : new FeatureMatcher(FeatureLibrary.Create(delta.To, delta.Added, []));
    }

    private static async Task<IReadOnlyList<ScanFinding>> MatchAsync(IServiceProvider services, FeatureMatcher matcher, string contentId, long size, CancellationToken ct)
    {
        var chunks = await services.GetRequiredService<TransferService>().BlobChunkList(contentId, size, ct);
        if (chunks is null) return []; // collected since the page was read
        try
        {
            await using var content = services.GetRequiredService<ChunkStore>().OpenBlob(chunks);
            IReadOnlyList<ByteRange> payloads = [];
            if (matcher.HasPayloadFeatures)
            {
                payloads = StructureChecks.Check(content, null, null).Payloads;
                content.Position = 0;
            }
            return await matcher.MatchAsync(content, payloads, ct);
        }
        catch (IOException)
        {
            return []; // a chunk the collector removed under us: the blob is gone
        }
    }
}
