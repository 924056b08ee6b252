using System.Data.Common;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Rooms;
using Parley.Server.Accounts;
using Parley.Server.Bus;
using Parley.Server.Rooms;
using Parley.Server.Storage;

namespace Parley.Server.Tests.Messaging;

/// <summary>
/// The edges of the two caches on the posting path (SessionCache, RoomMembership), on a real SQLite model whose rows
/// the tests change behind the caches' backs, as another node or a lost bus message would: an entry lives at most
/// its lifetime (a fake clock, no sleeping), and a read that raced an invalidation is not kept.
/// </summary>
public sealed class CacheEdgeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-12-07T12:00:00Z");
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly Reads _reads = new();
    private readonly NodeBus _bus = new LocalBus(NullLogger<LocalBus>.Instance);
    private ParleyDbContext _db = null!;
    private readonly byte[] _tokenHash = SHA256.HashData("pt_cache-edge"u8);

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        _db = new SqliteParleyDbContext(new DbContextOptionsBuilder<SqliteParleyDbContext>().UseSqlite(_connection).AddInterceptors(_reads).Options);
        await _db.Database.EnsureCreatedAsync();
        _db.Users.AddRange(User("u_alice"), User("u_bob"));
        _db.Sessions.Add(new Session { Id = "s_alice", TokenHash = _tokenHash, UserId = "u_alice", CreatedAt = Start, ExpiresAt = Start.AddDays(1) });
        _db.Rooms.Add(new Room { Id = "r_one", Name = "one", Kind = RoomKind.Group, CreatedBy = "u_alice", CreatedAt = Start });
        _db.RoomMembers.Add(new RoomMember { RoomId = "r_one", UserId = "u_alice", JoinedAt = Start });
        await _db.SaveChangesAsync();
        _db.ChangeTracker.Clear();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private static User User(string id) => new() { Id = id, UserName = id[2..], PasswordHash = "unused", CreatedAt = Start };

    [Fact]
    public async Task A_session_is_kept_for_its_lifetime_and_not_a_moment_longer()
    {
        var sessions = new SessionCache(_bus, _clock);
        Assert.NotNull(await sessions.Find(_db, _tokenHash, default));
        // Signed out on a node whose bus message never arrived: only the lifetime bounds what this node believes.
        await _db.Sessions.Where(s => s.Id == "s_alice").ExecuteDeleteAsync();
        var readsBefore = _reads.Of("sessions");

        _clock.Advance(SessionCache.Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.Equal("u_alice", (await sessions.Find(_db, _tokenHash, default))?.UserId);
        Assert.Equal(readsBefore, _reads.Of("sessions"));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Null(await sessions.Find(_db, _tokenHash, default));
    }

    [Fact]
    public async Task A_session_read_that_raced_a_sign_out_is_not_kept()
    {
        var sessions = new SessionCache(_bus, _clock);
        // The sign-out commits and forgets the session while this node's read is in flight.
        _reads.OnRead("sessions", () => sessions.ForgetHere("s_alice"));
        Assert.NotNull(await sessions.Find(_db, _tokenHash, default));
        _reads.OnRead("sessions", null);
        await _db.Sessions.Where(s => s.Id == "s_alice").ExecuteDeleteAsync();

        Assert.Null(await sessions.Find(_db, _tokenHash, default));
    }

    [Fact]
    public async Task A_room_s_members_are_kept_for_their_lifetime_and_not_a_moment_longer()
    {
        var rooms = new RoomMembership(_bus, _clock);
        Assert.False((await rooms.Get(_db, "r_one", default))!.Members.Contains("u_bob"));
        // Bob joined on a node whose bus message never arrived.
        await AddBob();

        _clock.Advance(RoomMembership.Lifetime - TimeSpan.FromMilliseconds(1));
        Assert.False((await rooms.Get(_db, "r_one", default))!.Members.Contains("u_bob"));

        _clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True((await rooms.Get(_db, "r_one", default))!.Members.Contains("u_bob"));
    }

    [Fact]
    public async Task A_room_read_that_raced_a_change_of_members_is_not_kept()
    {
        var rooms = new RoomMembership(_bus, _clock);
        // A join commits and forgets the room between this node's two reads (kind, then members).
        _reads.OnRead("room_members", () => rooms.ForgetHere("r_one"));
        Assert.False((await rooms.Get(_db, "r_one", default))!.Members.Contains("u_bob"));
        _reads.OnRead("room_members", null);
        await AddBob();

        Assert.True((await rooms.Get(_db, "r_one", default))!.Members.Contains("u_bob"));
    }

    private Task AddBob() =>
        _db.Database.ExecuteSqlAsync($"""INSERT INTO "room_members" ("RoomId", "UserId", "JoinedAt") VALUES ('r_one', 'u_bob', {StoredTime.InColumn(Start)})""");

    /// <summary>Counts the queries that read a table, and runs a hook right after one has read it (before the cache keeps the result).</summary>
    private sealed class Reads : DbCommandInterceptor
    {
        private readonly Dictionary<string, int> _counts = [];
        private (string Table, Action Hook)? _hook;

        public int Of(string table) => _counts.GetValueOrDefault(table);

        public void OnRead(string table, Action? hook) => _hook = hook is null ? null : (table, hook);

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken ct = default)
        {
            foreach (var table in new[] { "sessions", "room_members" })
            {
                if (!command.CommandText.Contains($"FROM \"{table}\"", StringComparison.Ordinal)) continue;
                _counts[table] = Of(table) + 1;
                if (_hook is { } hook && hook.Table == table) hook.Hook();
            }
            return ValueTask.FromResult(result);
        }
    }
}
