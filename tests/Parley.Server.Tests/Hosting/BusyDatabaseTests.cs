using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Server.Storage;
using Parley.Testing;

namespace Parley.Server.Tests.Hosting;

/// <summary>A database held by someone else is a reason to come back later, not a server fault.</summary>
public sealed class BusyDatabaseTests
{
    [Fact]
    public async Task A_post_that_waits_longer_than_the_busy_timeout_answers_503_with_retry_after_and_the_next_one_goes_through()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Storage:BusyTimeout"] = "00:00:01" });
        var api = new Api(server);
        var alice = await api.NewUser("alice");
        var room = await api.NewRoom(alice);

        await using (await HoldRoomsAsync(server.Services.GetRequiredService<StoreConnection>()))
        {
            var refused = await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("while locked"));
            await Api.AssertProblem(refused, HttpStatusCode.ServiceUnavailable, ProblemCodes.ServerUnavailable);
            Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        }

        var posted = await Api.Read<MessageDto>(await Api.PostJson(alice.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest("after")), HttpStatusCode.Created);
        Assert.Equal(1, posted.Seq); // the refused post left nothing behind
    }

    /// <summary>Another writer holding what a post must write: SQLite's write lock, or PostgreSQL's lock on the rooms table.</summary>
    private static async Task<Held> HoldRoomsAsync(StoreConnection store)
    {
        System.Data.Common.DbConnection connection = store.Provider == StoreProvider.Postgres
            ? new NpgsqlConnection(store.ConnectionString)
            : new Microsoft.Data.Sqlite.SqliteConnection(store.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var hold = connection.CreateCommand();
        hold.Transaction = transaction;
        // SQLite: the first write takes the database's one write lock until the transaction ends.
        hold.CommandText = store.Provider == StoreProvider.Postgres ? "LOCK TABLE rooms IN ACCESS EXCLUSIVE MODE" : "UPDATE rooms SET LastSeq = LastSeq";
        await hold.ExecuteNonQueryAsync();
        return new Held(connection, transaction);
    }

    /// <summary>Rolled back before the connection goes back to its pool, which the server's connections share.</summary>
    private sealed class Held(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.RollbackAsync();
            await connection.DisposeAsync();
        }
    }
}
