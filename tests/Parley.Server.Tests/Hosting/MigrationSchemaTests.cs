using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Hosting;

/// <summary>
/// The migrations are written by hand, so this checks they build exactly the schema EF derives from
/// the model: same tables, columns (type, nullability, key) and indexes.
/// </summary>
public sealed class MigrationSchemaTests
{
    [Fact]
    public void Migrations_build_the_schema_the_model_expects()
    {
        Assert.Equal(Schema(db => db.Database.EnsureCreated()), Schema(db => db.Database.Migrate()));
    }

    private static List<string> Schema(Action<ParleyDbContext> create)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var options = new DbContextOptionsBuilder<ParleyDbContext>().UseSqlite(connection)
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning)).Options;
        using (var db = new ParleyDbContext(options)) create(db);

        var schema = new List<string>();
        var tables = Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EFMigrations%' ORDER BY name");
        foreach (var table in tables)
        {
            schema.AddRange(Query(connection, $"SELECT '{table}.' || name || ' ' || type || ' notnull=' || \"notnull\" || ' pk=' || pk FROM pragma_table_info('{table}') ORDER BY name"));
            schema.AddRange(Query(connection, $"SELECT '{table} index ' || name || ' unique=' || \"unique\" FROM pragma_index_list('{table}') WHERE origin = 'c' ORDER BY name"));
        }
        return schema;
    }

    private static List<string> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetString(0));
        return rows;
    }
}
