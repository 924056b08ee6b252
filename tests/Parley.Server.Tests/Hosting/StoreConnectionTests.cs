using Npgsql;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Hosting;

public sealed class StoreConnectionTests
{
    [Fact]
    public void Without_a_store_a_node_uses_sqlite_in_its_data_folder()
    {
        var store = StoreConnection.Resolve(null, "/srv/parley");

        Assert.Equal(StoreProvider.Sqlite, store.Provider);
        Assert.Equal("Data Source=/srv/parley/parley.db", store.ConnectionString);
    }

    [Fact]
    public void A_postgres_url_becomes_an_npgsql_connection_string()
    {
        var store = StoreConnection.Resolve("postgres://parley:p%40ss%3Aword@db.internal:6432/chat?sslmode=require", "/srv/parley");

        Assert.Equal(StoreProvider.Postgres, store.Provider);
        var parsed = new NpgsqlConnectionStringBuilder(store.ConnectionString);
        Assert.Equal(("db.internal", 6432, "chat", "parley", "p@ss:word", SslMode.Require),
            (parsed.Host, parsed.Port, parsed.Database, parsed.Username, parsed.Password, parsed.SslMode));
    }

    [Fact]
    public void A_postgresql_url_without_a_port_uses_5432()
    {
        var parsed = new NpgsqlConnectionStringBuilder(StoreConnection.Resolve("postgresql://u@localhost/parley", "d").ConnectionString);

        Assert.Equal((5432, "parley", "u"), (parsed.Port, parsed.Database, parsed.Username));
    }

    [Fact]
    public void The_npgsql_keyword_form_is_accepted_as_is()
    {
        var store = StoreConnection.Resolve("Host=127.0.0.1;Port=5433;Username=parley;Database=chat", "d");

        Assert.Equal(StoreProvider.Postgres, store.Provider);
        Assert.Equal("chat", new NpgsqlConnectionStringBuilder(store.ConnectionString).Database);
    }

    [Theory]
    [InlineData("postgres://host/db?nonsense=1")]
    [InlineData("this is not a connection string")]
    public void A_store_neither_form_understands_is_refused_with_a_sentence(string configured)
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => StoreConnection.Resolve(configured, "d"));

        Assert.Contains("PostgreSQL", refusal.Message);
    }
}
