using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Parley.Server.Storage;

/// <summary>
/// One writer at a time per tus upload, across every node that may receive its PATCHes: a second
/// concurrent writer gets nothing (and is refused), never waits. <see cref="StorageSetup"/> picks the
/// implementation: PostgreSQL advisory locks when nodes share PostgreSQL, the process's memory on SQLite
/// (one process owns a SQLite data folder).
/// </summary>
public interface IUploadLocks
{
    /// <returns>The held lock, released when disposed; null when another writer holds it.</returns>
    Task<IAsyncDisposable?> TryAcquireAsync(string uploadId, CancellationToken ct);
}

/// <summary>
/// The map holds an upload only while a PATCH writes to it: uploads that complete, fail, are deleted or expire leave
/// nothing behind, however many a long-running process sees.
/// </summary>
internal sealed class InProcessUploadLocks : IUploadLocks
{
    private readonly ConcurrentDictionary<string, byte> _held = new();

    internal int HeldCount => _held.Count;

    public Task<IAsyncDisposable?> TryAcquireAsync(string uploadId, CancellationToken ct) =>
        Task.FromResult<IAsyncDisposable?>(_held.TryAdd(uploadId, 0) ? new Held(this, uploadId) : null);

    private sealed class Held(InProcessUploadLocks locks, string uploadId) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            locks._held.TryRemove(uploadId, out _);
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// A session-level advisory lock, held on a connection of its own for as long as the PATCH runs; if the
/// node dies, PostgreSQL ends the session and the lock with it, so no upload stays locked.
/// </summary>
internal sealed class PostgresUploadLocks(StoreConnection store) : IUploadLocks
{
    public async Task<IAsyncDisposable?> TryAcquireAsync(string uploadId, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(store.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            var key = Key(uploadId);
            if (await Call(connection, "pg_try_advisory_lock", key, ct)) return new Held(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    /// <summary>Advisory locks take a 64-bit key: the first 8 bytes of the id's SHA-256, so ids do not collide in practice.</summary>
    private static long Key(string uploadId) => BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(uploadId)));

    private static async Task<bool> Call(NpgsqlConnection connection, string function, long key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"SELECT {function}(@key)", connection);
        command.Parameters.AddWithValue("key", key);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }

    private sealed class Held(NpgsqlConnection connection, long key) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Unlocked explicitly: the connection goes back to the pool, where its session lives on.
            try { await Call(connection, "pg_advisory_unlock", key, CancellationToken.None); }
            finally { await connection.DisposeAsync(); }
        }
    }
}
