using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.Hosting;
using Parley.Server.Problems;
using Parley.Server.Storage;

namespace Parley.Server.Transfer;

/// <summary>
/// Per-user limits of the transfer path, counted from the database (so every node of a deployment
/// sees the same counts). A refusal that passes with time is a 429 whose Retry-After says when.
/// </summary>
public sealed class TransferQuotas(ParleyDbContext db, TimeProvider clock, IOptions<ParleyOptions> options)
{
    /// <summary>Unanswered and failed challenges count against the user: a transfer counts until it is delivered.</summary>
    public async Task<Refusal?> RefuseNewTransfer(string userId, CancellationToken ct)
    {
        var limits = options.Value.Transfer;
        var since = clock.Now() - limits.UnfinishedWindow;
        var unfinished = db.Transfers.Where(t => t.UserId == userId && t.CreatedAt > since && t.State != TransferState.Delivered);
        if (await unfinished.CountAsync(ct) < limits.MaxUnfinishedTransfers) return null;
        var oldest = await unfinished.OrderBy(t => t.CreatedAt).Select(t => t.CreatedAt).FirstAsync(ct);
        return TooMany(oldest + limits.UnfinishedWindow - clock.Now(),
            $"You have {limits.MaxUnfinishedTransfers} transfers that did not deliver within {limits.UnfinishedWindow}: finish or wait for them before announcing more.");
    }

    /// <summary>
    /// Open uploads and the bytes they are still owed pass as uploads finish or expire (429 with
    /// Retry-After); stored bytes do not pass with time, so that quota is a plain refusal (403).
    /// </summary>
    public async Task<Refusal?> RefuseNewUpload(string userId, long length, CancellationToken ct)
    {
        var limits = options.Value.Transfer;
        var open = await db.Uploads.Where(u => u.UserId == userId).Select(u => new { Owed = u.Length - u.Offset, u.ExpiresAt }).ToListAsync(ct);
        var nextExpiry = open.Count == 0 ? TimeSpan.Zero : open.Min(u => u.ExpiresAt) - clock.Now();
        if (open.Count >= limits.MaxOpenUploads)
            return TooMany(ProblemCodes.UploadQuotaExceeded, nextExpiry, $"You have {open.Count} open uploads, the most one user may have: finish or delete one first.");
        var owed = open.Sum(u => u.Owed);
        if (owed + length > limits.MaxOutstandingUploadBytes)
            return TooMany(ProblemCodes.UploadQuotaExceeded, nextExpiry,
                $"Your open uploads still expect {owed} bytes; with {length} more that is over the {limits.MaxOutstandingUploadBytes} one user may have outstanding.");

        var mine = db.Transfers.Where(t => t.UserId == userId && t.State == TransferState.Delivered && t.Dedup != DedupTier.Local && t.Dedup != DedupTier.Central)
            .Select(t => t.ContentId);
        var stored = await db.Blobs.Where(b => mine.Contains(b.Id)).SumAsync(b => b.Size, ct);
        if (stored + owed + length > limits.MaxStoredBytesPerUser)
            return new Refusal(ProblemCodes.UploadStorageQuotaExceeded,
                $"You have uploaded {stored} bytes of stored content; this upload would take you over the {limits.MaxStoredBytesPerUser} one user may store.");
        return null;
    }

    private static Refusal TooMany(TimeSpan retryAfter, string detail) => TooMany(ProblemCodes.TransferRateLimited, retryAfter, detail);

    private static Refusal TooMany(string code, TimeSpan retryAfter, string detail) => new(code, detail, retryAfter);
}
