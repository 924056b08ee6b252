using Npgsql;

namespace Parley.Server.Storage;

public enum StoreProvider { Sqlite, Postgres }

/// <summary>
/// Which database a node uses. Without a configured store, SQLite in the data folder (one process needs
/// nothing but .NET); with one, PostgreSQL, shared by every node of a deployment. PostgreSQL is named either
/// as a URL (<c>postgres://user:pass@host:port/db?sslmode=require</c>, the form hosting providers hand out)
/// or in Npgsql's keyword form (<c>Host=…;Username=…;Database=…</c>).
/// </summary>
public sealed record StoreConnection(StoreProvider Provider, string ConnectionString)
{
    public static StoreConnection Resolve(string? configured, string dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(configured))
            return new(StoreProvider.Sqlite, $"Data Source={Path.Combine(dataDirectory, "parley.db")}");
        var text = configured.Trim();
        if (text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return new(StoreProvider.Postgres, FromUrl(text));
        try
        {
            return new(StoreProvider.Postgres, new NpgsqlConnectionStringBuilder(text).ConnectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(
                $"Parley:Storage:ConnectionString is neither a postgres:// URL nor a PostgreSQL connection string ({e.Message}).");
        }
    }

    private static string FromUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || string.IsNullOrEmpty(url.Host))
            throw new InvalidOperationException("The store URL is not of the form postgres://user:password@host:port/database.");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.IsDefaultPort || url.Port <= 0 ? 5432 : url.Port,
            Database = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/')) is { Length: > 0 } database ? database : null,
        };
        if (url.UserInfo.Length > 0)
        {
            var colon = url.UserInfo.IndexOf(':');
            builder.Username = Uri.UnescapeDataString(colon < 0 ? url.UserInfo : url.UserInfo[..colon]);
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(url.UserInfo[(colon + 1)..]);
        }
        // Query parameters are Npgsql settings (sslmode=require, pooling=false, …).
        foreach (var pair in url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "true" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                builder[key] = value;
            }
            catch (ArgumentException)
            {
                throw new InvalidOperationException($"The store URL has a setting PostgreSQL does not know: '{key}'.");
            }
        }
        return builder.ConnectionString;
    }
}
