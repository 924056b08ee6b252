using Microsoft.EntityFrameworkCore;
using Parley.Core.Problems;
using Parley.Core.Scanning;
using Parley.Core.Transfer;
using Parley.Server.Problems;
using Parley.Server.Storage;

namespace Parley.Server.Scanning;

/// <summary>The second detection's stored verdicts (<c>scan_verdicts</c>), for operators and for each user's own.</summary>
public sealed class VerdictReader(ParleyDbContext db)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>Newest first; only of <paramref name="contentId"/> and of <paramref name="userId"/> when given.</summary>
    public async Task<Outcome<IReadOnlyList<ScanVerdictDto>>> ListAsync(string? contentId, string? userId, int? limit, CancellationToken ct)
    {
        var size = limit ?? DefaultLimit;
        if (size is < 1 or > MaxLimit) return new Refusal(ProblemCodes.RequestInvalid, $"limit is 1–{MaxLimit}.");
        if (contentId is not null && !ContentId.TryParse(contentId, out _))
            return new Refusal(ProblemCodes.RequestInvalid, "contentId must be a content id (sha256:<64 hex digits>).");
        var verdicts = db.ScanVerdicts.AsNoTracking();
        if (contentId is not null) verdicts = verdicts.Where(v => v.ContentId == contentId);
        if (userId is not null) verdicts = verdicts.Where(v => v.UserId == userId);
        var rows = await verdicts.Join(db.Users, v => v.UserId, u => u.Id, (v, u) => new { Verdict = v, u.UserName })
            .OrderByDescending(r => r.Verdict.CreatedAt).ThenByDescending(r => r.Verdict.Id).Take(size).ToListAsync(ct);
        return rows.Select(r => ToDto(r.Verdict, r.UserName)).ToList();
    }

    private static ScanVerdictDto ToDto(ScanVerdict v, string userName) => new(v.Id, v.ContentId, userName, v.DeviceId, v.FileName, v.MediaType,
        v.LibraryVersion, v.Passed, StoredJson.Read<ScanFinding>(v.Findings), StoredJson.Read<DetectorTiming>(v.Timings), v.CreatedAt);
}
