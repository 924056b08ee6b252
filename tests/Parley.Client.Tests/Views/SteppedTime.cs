using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Parley.Client.Tests.Views;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that knows how many of its timers are still waiting, so a test can step time and
/// then let the code under test run until every one of its loops waits on a timer again, instead of sleeping.
/// </summary>
internal sealed class SteppedTime : FakeTimeProvider
{
    private int _waiting;

    public SteppedTime() : base(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero)) => AutoAdvanceAmount = TimeSpan.Zero;

    public int Waiting => Volatile.Read(ref _waiting);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Interlocked.Increment(ref _waiting);
        var done = 0;
        void Done()
        {
            if (Interlocked.Exchange(ref done, 1) == 0) Interlocked.Decrement(ref _waiting);
        }
        return new Tracked(base.CreateTimer(s => { Done(); callback(s); }, state, dueTime, period), Done);
    }

    /// <summary>Steps <paramref name="step"/> at a time until <paramref name="work"/> completes, letting it settle after each step.</summary>
    public async Task<T> RunAsync<T>(Task<T> work, TimeSpan step, Func<int> loops, TimeSpan limit)
    {
        await StepAsync(work, step, loops, limit);
        return await work;
    }

    /// <summary>Steps <paramref name="step"/> at a time for <paramref name="duration"/> or until <paramref name="work"/> completes, letting it settle after each step.</summary>
    public async Task StepAsync(Task work, TimeSpan step, Func<int> loops, TimeSpan duration)
    {
        var end = GetUtcNow() + duration;
        await SettleAsync(work, loops);
        while (!work.IsCompleted && GetUtcNow() < end)
        {
            Advance(step);
            await SettleAsync(work, loops);
        }
    }

    /// <summary>Yields until the work is done or as many timers wait as it has loops running (bounded, in real time, by a generous patience).</summary>
    private async Task SettleAsync(Task work, Func<int> loops)
    {
        var patience = Stopwatch.StartNew();
        while (!work.IsCompleted && Waiting < loops())
        {
            if (patience.Elapsed > ServerFixture.Patience) throw new TimeoutException("The watch neither finished nor waited on its timers.");
            await Task.Yield();
        }
    }

    private sealed class Tracked(ITimer inner, Action done) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(dueTime, period);

        public void Dispose()
        {
            done();
            inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            done();
            return inner.DisposeAsync();
        }
    }
}
