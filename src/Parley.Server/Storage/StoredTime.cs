namespace Parley.Server.Storage;

public static class StoredTime
{
    /// <summary>
    /// The current instant at the precision the database keeps (whole milliseconds), so an answer
    /// built from a fresh row equals the same row read back later.
    /// </summary>
    public static DateTimeOffset Now(this TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);
    }
}
