using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.Hosting;
using Parley.Server.Storage;

namespace Parley.Server.Transfer;

/// <param name="StrayFiles">Files on disk the database does not know: chunks, temporary files and upload files left by a crash or a lost race.</param>
public sealed record CollectionReport(int ExpiredTransfers, int Blobs, int Chunks, long BytesFreed, int StrayFiles = 0);

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

    /// <summary>
    /// Before the node serves anything, finishes what a crash interrupted (see <see cref="RecoverAsync"/>),
    /// then collects once, so what a crash left on disk does not wait a whole period.
    /// </summary>
    public override async Task StartAsync(CancellationToken ct)
    {
        await RecoverAsync(ct);
        await CollectAsync(ct);
        await base.StartAsync(ct);
    }

    /// <summary>
    /// After a crash: an upload that had all its bytes is completed now (verified, then delivered or
    /// failed) instead of waiting for a PATCH that will never come; a transfer stopped between taking
    /// its proof and delivering is failed, so its sender's rerun starts over rather than meeting a
    /// transfer that waits for nothing. Returns how many transfers it settled.
    /// </summary>
    public async Task<int> RecoverAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var complete = await db.Uploads.AsNoTracking()
            .Where(u => u.Offset == u.Length && db.Transfers.Any(t => t.Id == u.TransferId && t.State == TransferState.Upload))
            .ToListAsync(ct);
        foreach (var upload in complete)
        {
            using var attempt = scopes.CreateScope();
            var transfers = attempt.ServiceProvider.GetRequiredService<TransferService>();
            try
            {
                await transfers.UploadCompleted(upload, ct);
            }
            catch (IOException e)
            {
                log.LogWarning(e, "Upload {Upload} had all its bytes but cannot be completed; its transfer fails.", upload.Id);
                await FailInterrupted(attempt.ServiceProvider, upload.TransferId, ct);
            }
        }
        var stopped = await db.Transfers.Where(t => t.State == TransferState.Prove && t.Proven).Select(t => t.Id).ToListAsync(ct);
        foreach (var transfer in stopped) await FailInterrupted(scope.ServiceProvider, transfer, ct);
        return complete.Count + stopped.Count;
    }

    private static async Task FailInterrupted(IServiceProvider services, string transferId, CancellationToken ct)
    {
        var db = services.GetRequiredService<ParleyDbContext>();
        var transfer = await db.Transfers.SingleAsync(t => t.Id == transferId, ct);
        await services.GetRequiredService<TransferService>().Fail(transfer, ProblemCodes.TransferInterrupted, ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Transfer.CollectEvery, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var report = await CollectAsync(stoppingToken);
                if (report.Blobs + report.Chunks + report.ExpiredTransfers + report.StrayFiles > 0) log.LogInformation("Collected {Report}.", report);
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
        // Failed sign-ins older than the throttle's window count for nothing; accounts nobody tries again keep none.
        var forgotten = now - options.Value.SignIn.AccountWindow;
        await db.SignInFailures.Where(f => f.FailedAt <= forgotten).ExecuteDeleteAsync(ct);

        var (strays, strayBytes) = await RemoveStrayFiles(db, store, now - options.Value.Transfer.StrayFileGrace, ct);
        // Ended uploads' files whose deletion a stop interrupted (ChunkStore.DeleteUpload): nothing refers to them.
        foreach (var discarded in Directory.EnumerateFiles(store.DiscardedDirectory)) ChunkStore.DeleteDiscarded(discarded);
        return new CollectionReport(stale.Count, blobs.Count, chunks.Count, chunks.Sum(c => (long)c.Length) + strayBytes, strays);
    }

    /// <summary>
    /// Reconciles the disk with the database: chunk files without a chunk row, temporary files, and
    /// upload files and part folders without an upload row, once older than the grace period (a verification in
    /// progress writes chunk files before their rows, and a new upload's file follows its row).
    /// Nothing the database refers to is touched. File ages are the file system's, compared with
    /// <see cref="TimeProvider"/>'s now.
    /// </summary>
    private static async Task<(int Files, long Bytes)> RemoveStrayFiles(ParleyDbContext db, ChunkStore store, DateTimeOffset settled, CancellationToken ct)
    {
        bool Settled(string path) => File.GetLastWriteTimeUtc(path) < settled.UtcDateTime;
        var strays = Directory.EnumerateFiles(store.TemporaryDirectory).Where(Settled).ToList();

        // A completion in progress (however long it has run) writes chunk files before their rows:
        // while one runs, chunk files wait for the next round.
        var completing = await db.Uploads.AnyAsync(u => u.Offset == u.Length, ct) ||
            await db.Transfers.AnyAsync(t => t.State == TransferState.Prove && t.Proven, ct);
        foreach (var batch in completing ? [] : store.ChunkFiles().Where(f => Settled(f.Path)).Chunk(500))
        {
            var ids = batch.Select(f => f.ChunkId).ToList();
            var known = (await db.Chunks.Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync(ct)).ToHashSet();
            strays.AddRange(batch.Where(f => !known.Contains(f.ChunkId)).Select(f => f.Path));
        }
        foreach (var batch in Directory.EnumerateFiles(store.UploadDirectory).Where(Settled).Chunk(500))
        {
            var ids = batch.Select(Path.GetFileName).ToList();
            var known = (await db.Uploads.Where(u => ids.Contains(u.Id)).Select(u => u.Id).ToListAsync(ct)).ToHashSet();
            strays.AddRange(batch.Where(path => !known.Contains(Path.GetFileName(path))));
        }

        var folders = await StrayPartFolders(db, store, Settled, ct);
        strays.AddRange(folders.SelectMany(Directory.EnumerateFiles));

        long bytes = 0;
        foreach (var file in strays.Select(path => new FileInfo(path)).Where(file => file.Exists))
        {
            bytes += file.Length;
            file.Delete();
        }
        foreach (var folder in folders) Directory.Delete(folder, recursive: true);
        return (strays.Count, bytes);
    }

    /// <summary>Part folders (an upload's chunks cut on the stream, <see cref="ChunkStore.PartsPath"/>) whose upload row is gone.</summary>
    private static async Task<List<string>> StrayPartFolders(ParleyDbContext db, ChunkStore store, Func<string, bool> settled, CancellationToken ct)
    {
        static string UploadOf(string folder) => Path.GetFileName(folder)[..^ChunkStore.PartsSuffix.Length];
        var stray = new List<string>();
        foreach (var batch in Directory.EnumerateDirectories(store.UploadDirectory, "*" + ChunkStore.PartsSuffix).Where(settled).Chunk(500))
        {
            var ids = batch.Select(UploadOf).ToList();
            var known = (await db.Uploads.Where(u => ids.Contains(u.Id)).Select(u => u.Id).ToListAsync(ct)).ToHashSet();
            stray.AddRange(batch.Where(folder => !known.Contains(UploadOf(folder))));
        }
        return stray;
    }
}
