using Microsoft.EntityFrameworkCore;

namespace Parley.Server.Storage;

/// <summary>
/// SQLite databases made before migrations were generated carry four hand-written migrations in their
/// history (20261122000001_Foundation … 20261122000004_Broadcast). Their schema is exactly what the first
/// generated SQLite migration creates (MigrationTests checks it on a database made by that code), so such a
/// database is marked as having it and continues with the migrations after it, keeping its data.
/// </summary>
internal static class HandWrittenHistory
{
    private const string LastHandWritten = "20261122000004_Broadcast";

    public static void Adopt(ParleyDbContext db)
    {
        var applied = db.Database.GetAppliedMigrations().ToList();
        if (!applied.Contains(LastHandWritten)) return;
        var baseline = db.Database.GetMigrations().First();
        if (applied.Contains(baseline)) return;
        db.Database.ExecuteSql($"INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ({baseline}, {LastHandWritten})");
    }
}
