using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Parley.Server.Storage;

/// <summary>Registers the database a node uses and brings its schema up to date at start.</summary>
public static class StorageSetup
{
    public static IServiceCollection AddParleyStorage(this IServiceCollection services, StoreConnection store)
    {
        services.AddSingleton(store);
        if (store.Provider == StoreProvider.Postgres) services.AddSingleton<IUploadLocks, PostgresUploadLocks>();
        else services.AddSingleton<IUploadLocks, InProcessUploadLocks>();
        // Interceptors registered as services join every context (tests use one to line up racing requests).
        return store.Provider == StoreProvider.Postgres
            ? services.AddDbContext<ParleyDbContext, PostgresParleyDbContext>((provider, db) =>
                db.UseNpgsql(store.ConnectionString).AddInterceptors(provider.GetServices<IInterceptor>()))
            : services.AddDbContext<ParleyDbContext, SqliteParleyDbContext>((provider, db) =>
                db.UseSqlite(store.ConnectionString).AddInterceptors(provider.GetServices<IInterceptor>()));
    }

    /// <summary>
    /// Applies the provider's pending migrations. Several nodes starting at once on one PostgreSQL are safe:
    /// EF Core holds a database lock while it migrates, so one node migrates and the others then find nothing to do.
    /// </summary>
    public static void Migrate(ParleyDbContext db)
    {
        if (db.Database.IsSqlite()) HandWrittenHistory.Adopt(db);
        try
        {
            db.Database.Migrate();
        }
        catch (Npgsql.NpgsqlException e)
        {
            // Said in one sentence by `parley serve` instead of a stack trace.
            throw new InvalidOperationException($"PostgreSQL does not answer ({e.Message}); check --store (Parley:Storage:ConnectionString).", e);
        }
        // WAL lets readers (history, auth lookups) proceed while a message is being written.
        if (db.Database.IsSqlite()) db.Database.ExecuteSqlRaw("PRAGMA journal_mode=WAL;");
    }
}
