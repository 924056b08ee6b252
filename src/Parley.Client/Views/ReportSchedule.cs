using Parley.Core.Views;

namespace Parley.Client.Views;

/// <summary>
/// When each kind of report is due: the first one period after the start, each next one a period after the previous one
/// was sent (never sooner, which the server refuses as <see cref="ViewReasons.ReportEarly"/>). Counters start at 1 per kind.
/// </summary>
public sealed class ReportSchedule(DateTimeOffset start, TimeSpan sealedEvery, TimeSpan plainEvery)
{
    public DateTimeOffset NextSealedAt { get; private set; } = start + sealedEvery;

    public DateTimeOffset NextPlainAt { get; private set; } = start + plainEvery;

    public uint SealedSent { get; private set; }

    public uint PlainSent { get; private set; }

    public DateTimeOffset NextDue => NextSealedAt < NextPlainAt ? NextSealedAt : NextPlainAt;

    public bool SealedDue(DateTimeOffset now) => now >= NextSealedAt;

    public bool PlainDue(DateTimeOffset now) => now >= NextPlainAt;

    /// <summary>The counter of the sealed report sent at <paramref name="now"/>; the next is due a period later.</summary>
    public uint TakeSealed(DateTimeOffset now)
    {
        NextSealedAt = now + sealedEvery;
        return ++SealedSent;
    }

    public uint TakePlain(DateTimeOffset now)
    {
        NextPlainAt = now + plainEvery;
        return ++PlainSent;
    }
}
