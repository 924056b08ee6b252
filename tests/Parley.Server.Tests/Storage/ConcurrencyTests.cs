using System.Data.Common;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Messaging;
using Parley.Core.Transfer;
using Parley.Server.Storage;
using Parley.Server.Transfer;
using Parley.Testing;

namespace Parley.Server.Tests.Storage;

/// <summary>Counters that many requests bump at once stay exact: the database, not the process, orders them.</summary>
public sealed class ConcurrencyTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;

    [Fact]
    public async Task Concurrent_posters_get_gap_free_duplicate_free_sequence_numbers()
    {
        const int posters = 6, each = 10;
        var users = new List<TestUser>();
        for (var i = 0; i < posters; i++) users.Add(await _api.NewUser("poster"));
        var room = await _api.NewRoom(users[0], [.. users.Skip(1)]);

        var posts = users.SelectMany(user => Enumerable.Range(0, each).Select(i =>
            Api.PostJson(user.Http, $"/api/rooms/{room.Id}/messages", new SendMessageRequest($"{user.Name} {i}"))));
        var answers = await Task.WhenAll(posts);

        var created = new List<MessageDto>();
        foreach (var answer in answers) created.Add(await Api.Read<MessageDto>(answer, HttpStatusCode.Created));
        Assert.Equal(Enumerable.Range(1, posters * each).Select(i => (long)i), created.Select(m => m.Seq).Order());
        var page = await Api.Read<MessagePage>(await users[0].Http.GetAsync($"/api/rooms/{room.Id}/messages?limit=100"));
        Assert.Equal(created.OrderBy(m => m.Seq).Select(m => m.Text), page.Messages.Select(m => m.Text));
    }
}

/// <summary>Races between transfers, lined up deterministically by holding database reads until both requests made theirs.</summary>
public sealed class ChunkRaceTests
{
    [Fact]
    public async Task Two_blobs_that_share_a_new_chunk_can_be_stored_at_once()
    {
        var lookups = new BlobLookupsMeet();
        await using var server = await RunningServer.StartAsync(configureServices: s => s.AddSingleton<IInterceptor>(lookups));
        lookups.Arm();
        var shared = ("sha256:" + new string('c', 64), 1000);
        List<(string, int)> first = [shared, ("sha256:" + new string('a', 64), 10)], second = [shared, ("sha256:" + new string('b', 64), 20)];

        await Task.WhenAll(Save(server, "sha256:" + new string('1', 64), first), Save(server, "sha256:" + new string('2', 64), second));
        lookups.Release();

        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        Assert.Equal(2, await db.Blobs.CountAsync());
        Assert.Equal(3, await db.Chunks.CountAsync());
        Assert.Equal(2, await db.BlobChunks.CountAsync(c => c.ChunkId == shared.Item1));
    }

    private static async Task Save(RunningServer server, string contentId, List<(string, int)> chunks)
    {
        using var scope = server.Services.CreateScope();
        var now = DateTimeOffset.UtcNow;
        var transfer = new Parley.Server.Storage.Transfer
        {
            Id = Ids.New("t"), UserId = "u_race", ContentId = contentId, Size = chunks.Sum(c => c.Item2), RoomId = "r_race",
            MediaType = "application/octet-stream", State = TransferState.Upload, Dedup = DedupTier.None, HasManifest = true,
            UploadLength = 0, CreatedAt = now, ExpiresAt = now.AddHours(1),
        };
        await scope.ServiceProvider.GetRequiredService<TransferService>().SaveBlob(transfer, chunks, CancellationToken.None);
    }

    /// <summary>
    /// Lets the first two reads of the blob table (each writer's "is this content stored yet?") return only
    /// together: both writers then go on to store their blob, and with it the shared chunk, at the same time.
    /// </summary>
    private sealed class BlobLookupsMeet : DbCommandInterceptor
    {
        private readonly TaskCompletionSource _both = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private static readonly Regex BlobTable = new("FROM \"?blobs\"?\\s");
        private int _arrived;
        private volatile bool _armed;

        /// <summary>Starts lining up reads; the server's own reads at start (recovery, collection) pass freely.</summary>
        public void Arm() => _armed = true;

        /// <summary>Lets every later read through, e.g. the test's own checks.</summary>
        public void Release() => _both.TrySetResult();

        public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken ct = default)
        {
            // SQLite's SQL quotes the table name, Npgsql's does not.
            if (_armed && BlobTable.IsMatch(command.CommandText) && Interlocked.Increment(ref _arrived) <= 2)
            {
                if (_arrived == 2) _both.TrySetResult();
                await _both.Task.WaitAsync(TimeSpan.FromSeconds(10), ct);
            }
            return result;
        }
    }
}
