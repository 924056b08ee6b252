using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.Hosting;
using Parley.Server.Storage;

namespace Parley.Server.Transfer;

public sealed record CollectionReport(int ExpiredTransfers, int Blobs, int Chunks, long BytesFreed);

/// <summary>
/// Garbage collection of the blob store. References are counted from the database itself rather
/// than kept in counters that could drift: a blob lives while a message carries it or an open
/// transfer names it; a chunk lives while a blob or an open transfer lists it.
/// </summary>
public sealed class BlobCollector(IServiceScopeFactory scopes, TimeProvider clock, IOptions<ParleyOptions> options, ILogger<BlobCollector> log)
    : BackgroundService
{
    /// <summary>Nothing younger is collected: covers the moment between storing a blob and posting its message.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Transfer.CollectEvery, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var report = await CollectAsync(stoppingToken);
                if (report.Blobs + report.Chunks + report.ExpiredTransfers > 0) log.LogInformation("Collected {Report}.", report);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "Blob collection failed; it runs again at the next period.");
            }
        }
    }

    public async Task<CollectionReport> CollectAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var transfers = scope.ServiceProvider.GetRequiredService<TransferService>();
        var store = scope.ServiceProvider.GetRequiredService<ChunkStore>();
        var now = clock.Now();

        var stale = await db.Transfers.Where(t => (t.State == TransferState.Prove || t.State == TransferState.Upload) && t.ExpiresAt <= now).ToListAsync(ct);
        foreach (var transfer in stale) await transfers.Fail(transfer, ProblemCodes.TransferExpired, ct);

        var settled = now - Grace;
        var open = db.Transfers.Where(t => t.State == TransferState.Prove || t.State == TransferState.Upload);
        var blobs = await db.Blobs
            .Where(b => b.CreatedAt < settled && !db.Messages.Any(m => m.MediaContentId == b.Id) && !open.Any(t => t.ContentId == b.Id))
            .Select(b => b.Id).ToListAsync(ct);
        await db.BlobChunks.Where(c => blobs.Contains(c.BlobId)).ExecuteDeleteAsync(ct);
        await db.Blobs.Where(b => blobs.Contains(b.Id)).ExecuteDeleteAsync(ct);

        var chunks = await db.Chunks
            .Where(c => c.CreatedAt < settled && !db.BlobChunks.Any(b => b.ChunkId == c.Id) && !db.TransferChunks.Any(t => t.ChunkId == c.Id))
            .ToListAsync(ct);
        foreach (var chunk in chunks) store.Delete(chunk.Id);
        var chunkIds = chunks.Select(c => c.Id).ToList();
        await db.Chunks.Where(c => chunkIds.Contains(c.Id)).ExecuteDeleteAsync(ct);

        // An expired ticket is refused as expired, so neither its issued copy nor its use needs keeping.
        await db.IssuedTickets.Where(t => t.ExpiresAt < now).ExecuteDeleteAsync(ct);
        await db.ConsumedTickets.Where(t => t.ExpiresAt < now).ExecuteDeleteAsync(ct);

        return new CollectionReport(stale.Count, blobs.Count, chunks.Count, chunks.Sum(c => (long)c.Length));
    }
}
