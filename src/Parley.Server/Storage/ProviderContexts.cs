using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Parley.Server.Storage;

/// <summary>The model on SQLite; its migrations live in <c>Storage/Migrations/Sqlite</c>.</summary>
public sealed class SqliteParleyDbContext(DbContextOptions<SqliteParleyDbContext> options) : ParleyDbContext(options);

/// <summary>The model on PostgreSQL; its migrations live in <c>Storage/Migrations/Postgres</c>.</summary>
public sealed class PostgresParleyDbContext(DbContextOptions<PostgresParleyDbContext> options) : ParleyDbContext(options);

/// <summary>How <c>dotnet ef</c> builds the SQLite context to generate migrations (scripts/add-migration); it never opens the file.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteParleyDbContext>
{
    public SqliteParleyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteParleyDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>How <c>dotnet ef</c> builds the PostgreSQL context to generate migrations; generating needs no server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresParleyDbContext>
{
    public PostgresParleyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresParleyDbContext>().UseNpgsql("Host=localhost;Database=parley").Options);
}
