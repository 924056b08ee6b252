using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Parley.Server.Hosting;

namespace Parley.Server.Accounts;

/// <summary>
/// Failed sign-ins per account, whatever address they come from: the per-address limit alone lets
/// ten addresses make a hundred guesses a minute at one account. Only existing accounts are tracked
/// (user names are public anyway), so memory is bounded by the number of accounts. The window slides:
/// an account refuses password checks only while it holds the limit's number of failures younger
/// than the window, so a lock ends on its own. See docs/security.md for why this cannot lock the
/// owner out for good.
/// </summary>
public sealed class AccountSignInThrottle(IOptions<ParleyOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _failures = new();

    /// <summary>How long until the account takes another password check; null when it takes one now.</summary>
    public TimeSpan? RetryAfter(string userId)
    {
        if (!_failures.TryGetValue(userId, out var failures)) return null;
        var (limit, window) = Settings;
        lock (failures)
        {
            var now = clock.GetUtcNow();
            Forget(failures, now - window);
            return failures.Count >= limit ? failures.Peek() + window - now : null;
        }
    }

    public void Failed(string userId)
    {
        var failures = _failures.GetOrAdd(userId, _ => new Queue<DateTimeOffset>());
        lock (failures)
        {
            var now = clock.GetUtcNow();
            Forget(failures, now - Settings.Window);
            failures.Enqueue(now);
        }
    }

    /// <summary>The owner got in: earlier failures no longer say anything about a guessing attack in progress.</summary>
    public void Succeeded(string userId) => _failures.TryRemove(userId, out _);

    private (int Limit, TimeSpan Window) Settings => (options.Value.SignIn.AccountFailureLimit, options.Value.SignIn.AccountWindow);

    private static void Forget(Queue<DateTimeOffset> failures, DateTimeOffset before)
    {
        while (failures.Count > 0 && failures.Peek() <= before) failures.Dequeue();
    }
}
