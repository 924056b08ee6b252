using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Parley.Core.Passphrase;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Hosting;
using Parley.Server.Storage;

namespace Parley.Server.Passphrase;

/// <summary>
/// Fires T1 and T2 for each open session with the injected clock, so a peer that never answers or
/// never confirms still ends the session with "failed" sent to both. Late arrivals are also checked
/// where they land; these timers cover silence. Open sessions are rescheduled when the server starts.
/// </summary>
public sealed class PakeDeadlines(IServiceScopeFactory scopes, TimeProvider clock, IOptions<ParleyOptions> options, ILogger<PakeDeadlines> log)
    : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<ITimer, byte> _timers = new();

    public void Schedule(string sessionId, DateTimeOffset requestedAt)
    {
        var limits = options.Value.Passphrase;
        foreach (var deadline in new[] { requestedAt + limits.AnswerTimeout, requestedAt + limits.ConfirmTimeout })
        {
            var due = deadline - clock.Now();
            ITimer? timer = null;
            timer = clock.CreateTimer(_ =>
            {
                if (timer is not null && _timers.TryRemove(timer, out byte _)) timer.Dispose();
                _ = Expire(sessionId);
            }, null, due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
            _timers.TryAdd(timer, 0);
        }
    }

    private async Task Expire(string sessionId)
    {
        try
        {
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<PassphraseRelay>().Expire(sessionId, CancellationToken.None);
        }
        catch (Exception e)
        {
            log.LogError(e, "Could not expire passphrase session {SessionId}.", sessionId);
        }
    }

    public async Task StartAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var open = await db.PakeSessions.Where(s => s.State == PakeState.Requested || s.State == PakeState.Answered)
            .Select(s => new { s.Id, s.RequestedAt }).ToListAsync(ct);
        foreach (var session in open) Schedule(session.Id, session.RequestedAt);
    }

    public Task StopAsync(CancellationToken ct)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        foreach (var timer in _timers.Keys) timer.Dispose();
        _timers.Clear();
    }
}
