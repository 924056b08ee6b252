using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Server.Hosting;
using Parley.Server.Storage;

namespace Parley.Server.Accounts;

/// <summary>
/// Failed sign-ins per account, whatever address and whichever node they come to: the per-address limit alone lets
/// ten addresses make a hundred guesses a minute at one account, and a per-node count would multiply the limit by the
/// number of nodes. Failures are rows in the shared database; only existing accounts are tracked. The window slides:
/// an account refuses password checks only while it holds the limit's number of failures younger than the window, so
/// a lock ends on its own. See docs/security.md for why this cannot lock the owner out for good.
/// </summary>
public sealed class AccountSignInThrottle(ParleyDbContext db, IOptions<ParleyOptions> options, TimeProvider clock)
{
    /// <summary>How long until the account takes another password check; null when it takes one now.</summary>
    public async Task<TimeSpan?> RetryAfter(string userId, CancellationToken ct)
    {
        var (limit, window) = Settings;
        var now = clock.Now();
        // The account takes checks again once its limit-th newest failure leaves the window.
        var recent = await db.SignInFailures.Where(f => f.UserId == userId && f.FailedAt > now - window)
            .OrderByDescending(f => f.FailedAt).Select(f => f.FailedAt).Take(limit).ToListAsync(ct);
        return recent.Count >= limit ? recent[^1] + window - now : null;
    }

    public async Task Failed(string userId, CancellationToken ct)
    {
        var now = clock.Now();
        await db.SignInFailures.Where(f => f.UserId == userId && f.FailedAt <= now - Settings.Window).ExecuteDeleteAsync(ct);
        db.SignInFailures.Add(new SignInFailure { Id = Ids.New("f"), UserId = userId, FailedAt = now });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The owner got in: earlier failures no longer say anything about a guessing attack in progress.</summary>
    public Task Succeeded(string userId, CancellationToken ct) =>
        db.SignInFailures.Where(f => f.UserId == userId).ExecuteDeleteAsync(ct);

    private (int Limit, TimeSpan Window) Settings => (options.Value.SignIn.AccountFailureLimit, options.Value.SignIn.AccountWindow);
}
