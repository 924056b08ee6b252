using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Parley.Core.Json;
using Parley.Core.Messaging;
using Parley.Core.Realtime;

namespace Parley.Bench.Messages;

/// <summary>The baseline's hub: a connection joins the groups named in its query (<c>?rooms=a,b</c>) and only listens.</summary>
internal sealed class BareHub : Hub
{
    public override async Task OnConnectedAsync()
    {
        foreach (var room in (Context.GetHttpContext()!.Request.Query["rooms"].ToString()).Split(',', StringSplitOptions.RemoveEmptyEntries))
            await Groups.AddToGroupAsync(Context.ConnectionId, room);
    }
}

/// <summary>
/// The baseline: Kestrel + SignalR in this process, the same route and event as Parley's, and per post exactly one
/// INSERT of one row (same provider as Parley's run: SQLite in WAL mode with synchronous FULL, or the same PostgreSQL)
/// and one SignalR send to the room's group. No authentication, membership, sequence or idempotency.
/// </summary>
internal sealed class BareServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private BareServer(WebApplication app, Uri address) => (_app, Address) = (app, address);

    public Uri Address { get; }

    public static async Task<BareServer> StartAsync(string? postgres, string scratch)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.ConfigureHttpJsonOptions(json => ParleyJson.Configure(json.SerializerOptions));
        builder.Services.AddSignalR().AddJsonProtocol(json => ParleyJson.Configure(json.PayloadSerializerOptions));
        var rows = postgres is null ? Rows.Sqlite(Path.Combine(scratch, "bare.db")) : Rows.Postgres(postgres);
        await rows.CreateTableAsync();
        var app = builder.Build();
        app.MapHub<BareHub>(LiveEvents.HubPath);
        long seq = 0;
        app.MapPost("/api/rooms/{roomId}/messages", async (string roomId, SendMessageRequest request, IHubContext<BareHub> hub) =>
        {
            var message = new MessageDto("m_" + Guid.NewGuid().ToString("N")[..22], roomId, Interlocked.Increment(ref seq), "u_bare", "bare",
                request.Text, DateTimeOffset.UtcNow);
            await rows.InsertAsync(roomId, request.Text);
            await hub.Clients.Group(roomId).SendAsync(LiveEvents.Message, message);
            return TypedResults.Created($"/api/rooms/{roomId}/messages/{message.Id}", message);
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        return new BareServer(app, address);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>One table, one INSERT per post, on a pooled connection.</summary>
    private sealed class Rows(Func<DbConnection> open, string create)
    {
        public static Rows Sqlite(string file) => new(() => new SqliteConnection($"Data Source={file}"),
            "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS bare (id INTEGER PRIMARY KEY, room TEXT NOT NULL, text TEXT NOT NULL)");

        public static Rows Postgres(string connection) => new(() => new NpgsqlConnection(connection),
            "CREATE TABLE IF NOT EXISTS bare (id bigserial PRIMARY KEY, room text NOT NULL, text text NOT NULL)");

        public async Task CreateTableAsync() => await ExecuteAsync(create, null, null);

        public Task InsertAsync(string room, string text) => ExecuteAsync("INSERT INTO bare (room, text) VALUES (@room, @text)", room, text);

        private async Task ExecuteAsync(string sql, string? room, string? text)
        {
            await using var connection = open();
            await connection.OpenAsync();
            // SQLite: concurrent writers wait inside SQLite, as Parley's connections do.
            if (connection is SqliteConnection)
            {
                await using var busy = connection.CreateCommand();
                busy.CommandText = "PRAGMA busy_timeout = 30000";
                await busy.ExecuteNonQueryAsync();
            }
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            if (room is not null)
            {
                Add(command, "@room", room);
                Add(command, "@text", text!);
            }
            await command.ExecuteNonQueryAsync();
        }

        private static void Add(DbCommand command, string name, string value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
    }
}
