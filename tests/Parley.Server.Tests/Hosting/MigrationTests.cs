using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Messaging;
using Parley.Server.Storage;
using Parley.Testing;

namespace Parley.Server.Tests.Hosting;

/// <summary>The generated migrations of both providers match the model, and older SQLite databases upgrade in place.</summary>
public sealed class MigrationTests
{
    /// <summary>Made by main before migrations were generated (hand-written M0001–M0004): users alice and bob, a room, messages, a file.</summary>
    private static readonly string HandWrittenDatabase = Path.Combine(AppContext.BaseDirectory, "Hosting", "Fixtures", "main-2026-11-28.db");
    private const string HandWrittenRoom = "r_yh4pikzvbxis5gx3";

    [Fact]
    public void Each_provider_has_a_migration_for_every_model_change()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);

        Assert.False(sqlite.Database.HasPendingModelChanges(), "Run scripts/add-migration NAME: the SQLite migrations lag the model.");
        Assert.False(postgres.Database.HasPendingModelChanges(), "Run scripts/add-migration NAME: the PostgreSQL migrations lag the model.");
    }

    [Fact]
    public void Sqlite_migrations_build_the_schema_the_model_expects()
    {
        Assert.Equal(FreshSchema(db => db.Database.EnsureCreated()), FreshSchema(StorageSetup.Migrate));
    }

    [Fact]
    public async Task A_database_made_before_generated_migrations_upgrades_with_its_data()
    {
        var data = Path.Combine(Path.GetTempPath(), "parley-upgrade-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        File.Copy(HandWrittenDatabase, Path.Combine(data, "parley.db"));

        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Storage:ConnectionString"] = "" }, data);
        var alice = await new Api(server).SignIn("alice");
        var http = server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", alice.Token);
        var page = await Api.Read<MessagePage>(await http.GetAsync($"/api/rooms/{HandWrittenRoom}/messages"));

        Assert.Equal(["first message before the upgrade", "second message before the upgrade", ""], page.Messages.Select(m => m.Text));
        Assert.Equal("file.bin", page.Messages[2].Media?.FileName);
        await server.StopAsync();
        SqliteConnection.ClearAllPools();
        using var upgraded = new SqliteConnection($"Data Source={Path.Combine(data, "parley.db")}");
        upgraded.Open();
        Assert.Equal(FreshSchema(StorageSetup.Migrate), Schema(upgraded));
    }

    private static List<string> FreshSchema(Action<ParleyDbContext> create)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using (var db = new SqliteParleyDbContext(new DbContextOptionsBuilder<SqliteParleyDbContext>().UseSqlite(connection).Options))
            create(db);
        return Schema(connection);
    }

    /// <summary>Tables, columns (type, nullability, key), indexes and foreign keys, as SQLite reports them.</summary>
    private static List<string> Schema(SqliteConnection connection)
    {
        var schema = new List<string>();
        var tables = Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EFMigrations%' ORDER BY name");
        foreach (var table in tables)
        {
            schema.AddRange(Query(connection, $"SELECT '{table}.' || name || ' ' || type || ' notnull=' || \"notnull\" || ' pk=' || pk FROM pragma_table_info('{table}') ORDER BY name"));
            schema.AddRange(Query(connection, $"SELECT '{table} index ' || name || ' unique=' || \"unique\" FROM pragma_index_list('{table}') WHERE origin = 'c' ORDER BY name"));
            schema.AddRange(Query(connection, $"SELECT '{table} fk ' || \"from\" || ' -> ' || \"table\" || '.' || \"to\" || ' on delete ' || on_delete FROM pragma_foreign_key_list('{table}') ORDER BY \"from\""));
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
