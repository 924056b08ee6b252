using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Parley.Server.Storage;

/// <summary>Registers the database a node uses and brings its schema up to date at start.</summary>
public static class StorageSetup
{
    /// <param name="busyTimeout">How long a statement may wait for the database (a SQLite writer ahead of it, a PostgreSQL
    /// lock or a slow server) before it fails; the request then answers 503 (see ProblemDetailsSetup).</param>
    public static IServiceCollection AddParleyStorage(this IServiceCollection services, StoreConnection store, TimeSpan busyTimeout)
    {
        var seconds = (int)Math.Ceiling(busyTimeout.TotalSeconds);
        services.AddSingleton(store);
        if (store.Provider == StoreProvider.Postgres) services.AddSingleton<IUploadLocks, PostgresUploadLocks>();
        else services.AddSingleton<IUploadLocks, InProcessUploadLocks>();
        // Contexts are pooled: a request leases one already built (options, services, connection object) instead of
        // building them again, which cost more CPU than a message's statements. The options are built once, so
        // interceptors registered as services (tests use one to line up racing requests) must be singletons.
        return store.Provider == StoreProvider.Postgres
            ? services.AddDbContextPool<ParleyDbContext, PostgresParleyDbContext>((provider, db) =>
                db.UseNpgsql(store.ConnectionString, o => o.CommandTimeout(seconds)).AddInterceptors(provider.GetServices<IInterceptor>()))
            : services.AddDbContextPool<ParleyDbContext, SqliteParleyDbContext>((provider, db) =>
                db.UseSqlite(store.ConnectionString, o => o.CommandTimeout(seconds))
                    .AddInterceptors([new SqliteBusyTimeout(busyTimeout), .. provider.GetServices<IInterceptor>()])
                    // SQLite adds a foreign key by rebuilding the table, which EF brackets with PRAGMA foreign_keys
                    // outside the migration's transaction and warns about. The rebuild itself stays in the
                    // transaction, so a crash leaves the old table intact: the warning is noise at every first start.
                    .ConfigureWarnings(w => w.Ignore(RelationalEventId.NonTransactionalMigrationOperationWarning)));
    }

    /// <summary>Any constant of our own: the advisory lock that one node at a time holds while it migrates.</summary>
    private const long MigrationLock = 0x7061726C65792D6D; // "parley-m"

    /// <summary>
    /// Applies the provider's pending migrations. Several nodes starting at once on one PostgreSQL are safe: each
    /// migrates under a session-level advisory lock, so one node migrates and the others then find nothing to do.
    /// (EF Core's own migration lock on PostgreSQL lasts one migration's transaction only: two nodes starting
    /// together were seen applying the same migration twice.) If the node dies, PostgreSQL ends its session and lock.
    /// </summary>
    public static void Migrate(ParleyDbContext db)
    {
        if (db.Database.IsSqlite()) HandWrittenHistory.Adopt(db);
        try
        {
            if (db.Database.IsNpgsql())
            {
                using var session = new Npgsql.NpgsqlConnection(db.Database.GetConnectionString());
                session.Open();
                using (var take = new Npgsql.NpgsqlCommand("SELECT pg_advisory_lock(@key)", session))
                {
                    take.Parameters.AddWithValue("key", MigrationLock);
                    take.ExecuteNonQuery();
                }
                CreateHistoryTable(db);
                db.Database.Migrate();
                // Closing the session releases the lock.
            }
            else
            {
                db.Database.Migrate();
            }
        }
        catch (Npgsql.NpgsqlException e)
        {
            // Said in one sentence by `parley serve` instead of a stack trace.
            throw new InvalidOperationException($"PostgreSQL does not answer ({e.Message}); check --store (Parley:Storage:ConnectionString).", e);
        }
        // WAL lets readers (history, auth lookups) proceed while a message is being written.
        if (db.Database.IsSqlite()) db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }

    /// <summary>
    /// On a new PostgreSQL database, Migrate reads the history table before creating it and logs the failed read
    /// as an error (npgsql/efcore.pg#3407), which an operator would rightly take for a fault; creating the table
    /// first avoids it. Nodes starting together may race on the creation: the loser finds the table there.
    /// </summary>
    private static void CreateHistoryTable(ParleyDbContext db)
    {
        try
        {
            db.GetService<IHistoryRepository>().CreateIfNotExists();
        }
        catch (Npgsql.PostgresException e) when (e.SqlState is Npgsql.PostgresErrorCodes.UniqueViolation or Npgsql.PostgresErrorCodes.DuplicateTable)
        {
        }
    }
}
