using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Parley.Server.Hosting;
using Parley.Server.Storage;

namespace Parley.Testing;

/// <summary>
/// A Parley server started in this process through the same <see cref="ParleyServer.Build"/> that
/// <c>parley serve</c> uses, listening on an ephemeral loopback port with its own temporary data folder.
/// </summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningServer(WebApplication app, string dataDirectory, Uri baseAddress)
    {
        _app = app;
        DataDirectory = dataDirectory;
        BaseAddress = baseAddress;
    }

    /// <summary>
    /// The database servers started in this test process use: SQLite in the data folder unless a test project
    /// chooses PostgreSQL for all its servers (Parley.Server.Tests.Postgres runs the API suite that way).
    /// </summary>
    public static StoreProvider Store { get; set; } = StoreProvider.Sqlite;

    public Uri BaseAddress { get; }
    public string DataDirectory { get; }
    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Configuration overrides, e.g. <c>["Parley:SignIn:PermitLimit"] = "3"</c>.</param>
    /// <param name="dataDirectory">Reuse a data folder (to test a restart); a fresh one by default.</param>
    /// <param name="configureServices">Replace services, e.g. the <see cref="TimeProvider"/>.</param>
    /// <param name="port">A fixed port, for nodes that must know each other's address before they start; any free port by default.</param>
    public static async Task<RunningServer> StartAsync(
        IReadOnlyDictionary<string, string>? settings = null,
        string? dataDirectory = null,
        Action<IServiceCollection>? configureServices = null,
        int port = 0)
    {
        dataDirectory ??= Path.Combine(Path.GetTempPath(), "parley-test-" + Guid.NewGuid().ToString("N"));
        var args = new List<string> { "--urls", $"http://127.0.0.1:{port}", "--Parley:DataDirectory", dataDirectory };
        // Test suites register many users from 127.0.0.1; the sign-in limit is tested on purpose, with its own setting.
        // Per-user rates likewise: suites post fast on purpose, and the rate tests set their own limits.
        var merged = new Dictionary<string, string>
        {
            ["Parley:SignIn:PermitLimit"] = "100000",
            ["Parley:Rates:RequestsPerSecond"] = "100000",
            ["Parley:Rates:RequestBurst"] = "100000",
            ["Parley:Rates:MessagesPerSecond"] = "100000",
            ["Parley:Rates:MessageBurst"] = "100000",
        };
        // On PostgreSQL, one database per data folder: a restarted server (same folder) finds its data again.
        if (Store == StoreProvider.Postgres)
            merged["Parley:Storage:ConnectionString"] = await (await TestPostgres.InstanceAsync()).DatabaseForAsync(dataDirectory);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) merged[key] = value;
        foreach (var (key, value) in merged)
        {
            args.Add("--" + key);
            args.Add(value);
        }
        var app = ParleyServer.Build([.. args], builder =>
        {
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            ProblemStatusAudit.AddTo(builder.Services);
            configureServices?.Invoke(builder.Services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new RunningServer(app, dataDirectory, new Uri(address));
    }

    /// <summary>
    /// Every byte this server keeps, for tests that prove a secret never reaches it: the files of its data
    /// folder (SQLite's write-ahead log checkpointed first) and, on PostgreSQL, every table's rows as a binary
    /// COPY, in which text and bytea values appear as stored.
    /// </summary>
    public async Task<byte[]> StoredBytesAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var stored = new MemoryStream();
        foreach (var file in Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories))
        {
            // An ended upload's file may be deleted meanwhile (`<data>/discarded`): what is gone is not kept.
            if (ServerFile.OpenIfPresent(file) is not { } stream) continue;
            await using (stream) await stream.CopyToAsync(stored);
        }
        var store = Services.GetRequiredService<StoreConnection>();
        if (store.Provider != StoreProvider.Postgres) return stored.ToArray();

        using var scope = Services.CreateScope();
        var tables = scope.ServiceProvider.GetRequiredService<ParleyDbContext>().Model.GetEntityTypes().Select(e => e.GetTableName()!).Distinct();
        await using var connection = new Npgsql.NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync();
        foreach (var table in tables)
        {
            await using var rows = await connection.BeginRawBinaryCopyAsync($"COPY \"{table}\" TO STDOUT (FORMAT BINARY)");
            await rows.CopyToAsync(stored);
        }
        return stored.ToArray();
    }

    /// <summary>Takes the server's database away under it, for tests of a node that lost it: the SQLite files, or the PostgreSQL database.</summary>
    public async Task RemoveDatabaseAsync()
    {
        var store = Services.GetRequiredService<StoreConnection>();
        if (store.Provider == StoreProvider.Postgres)
        {
            await (await TestPostgres.InstanceAsync()).DropDatabaseAsync(store.ConnectionString);
            return;
        }
        foreach (var file in Directory.GetFiles(DataDirectory, "parley.db*")) File.Delete(file);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // pooled connections still hold the deleted file open
    }

    public HttpClient CreateHttpClient() => new() { BaseAddress = BaseAddress };

    private bool _stopped;

    /// <summary>Stops the server but keeps its data folder, to start a new server on it. Stopping twice is harmless.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
