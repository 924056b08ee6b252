using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Parley.Server.Storage;

/// <summary>
/// Makes a SQLite connection wait inside SQLite for a writer ahead of it (<c>PRAGMA busy_timeout</c>), up to the
/// store's busy timeout. Without it Microsoft.Data.Sqlite retries a busy statement after sleeping 150 ms each time,
/// so concurrent posters queued in 150 ms steps (the 300 ms p99 of issue 13); SQLite's own handler retries within
/// milliseconds of the lock coming free. The pragma is per connection, so it runs on every open (pooled
/// connections included; it is a call into the library, not I/O). Durability is unchanged: <c>synchronous</c>
/// stays SQLite's default, FULL (docs/deployment.md).
/// </summary>
public sealed class SqliteBusyTimeout(TimeSpan timeout) : DbConnectionInterceptor
{
    private readonly string _pragma = $"PRAGMA busy_timeout = {(long)timeout.TotalMilliseconds};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = Command(connection);
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        await using var command = Command(connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private DbCommand Command(DbConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = _pragma;
        return command;
    }
}
