using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Parley.Server.Storage;

public static class StoredTime
{
    private static readonly DateTimeOffsetToBinaryConverter Column = new();

    /// <summary>An instant as its column holds it (see <see cref="ParleyDbContext"/>'s conventions), for raw SQL statements.</summary>
    public static long InColumn(DateTimeOffset instant) => (long)Column.ConvertToProvider(instant)!;

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
