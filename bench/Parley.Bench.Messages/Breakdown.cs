using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Json;
using Parley.Core.Messaging;
using Parley.Core.Rooms;
using Parley.Server.Messaging;
using Parley.Server.Storage;

namespace Parley.Bench.Messages;

/// <summary>
/// Where a post's database and serialization time goes: each step of the posting path as main ran it before issue 13
/// and as it runs now, timed alone (one thread, the same EF model and provider, mean of many), so the steps can be
/// set beside Parley's measured CPU per message. What is not here (Kestrel, routing, the rate limiter, logging,
/// SignalR's writes) is the rest of that figure.
/// </summary>
internal static class Breakdown
{
    private const int Iterations = 300;

    public static async Task<List<(string Step, double Microseconds)>> MeasureAsync(Seeded seeded)
    {
        var (postgres, dataFolder) = (seeded.Store, seeded.DataFolder);
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seeded.Tokens[0]));
        var (userId, room, large) = (seeded.UserIds[0], seeded.SmallRoom, seeded.LargeRoom);
        var pool = Seeded.Pool(postgres, dataFolder);
        var sample = new MessageDto("m_0123456789012345678901", room, 1, userId, "member0", "a message of ordinary length, forty-odd", DateTimeOffset.UtcNow);
        var steps = new List<(string, double)>
        {
            ("token lookup (sessions ⋈ users by hash)", await TimeAsync(postgres, dataFolder, db =>
                db.Sessions.AsNoTracking().Where(s => s.TokenHash == hash).Join(db.Users, s => s.UserId, u => u.Id, (s, u) => new { s, u.UserName }).SingleOrDefaultAsync())),
            ("room + membership check (2 queries)", await TimeAsync(postgres, dataFolder, async db =>
            {
                await db.Rooms.AsNoTracking().SingleOrDefaultAsync(r => r.Id == room);
                return await db.RoomMembers.AnyAsync(m => m.RoomId == room && m.UserId == userId);
            })),
            ("issue 13: BEGIN, UPDATE seq, SELECT seq, SAVEPOINT, INSERT, RELEASE, COMMIT", await TimeAsync(postgres, dataFolder, db => InsertAsync(db, room, userId, returning: false))),
            ("last week: BEGIN, UPDATE … RETURNING, INSERT (SaveChanges), COMMIT", await TimeAsync(postgres, dataFolder, db => InsertAsync(db, room, userId, returning: true))),
            ("now, pooled context: one statement (PostgreSQL) / one command in BEGIN … COMMIT (SQLite)", await TimeAsync(pool, db => MessageInsert.Run(db, new Message
            {
                Id = Ids.New("m"), RoomId = room, Seq = 0, SenderId = userId, Text = "breakdown", SentAt = DateTimeOffset.UtcNow,
            }, CancellationToken.None))),
            ("member list, 20 members", await TimeAsync(postgres, dataFolder, db => db.RoomMembers.Where(m => m.RoomId == room).Select(m => m.UserId).ToListAsync())),
            ("member list, 1,000 members", await TimeAsync(postgres, dataFolder, db => db.RoomMembers.Where(m => m.RoomId == large).Select(m => m.UserId).ToListAsync())),
            ("new DbContext + one trivial query", await TimeAsync(postgres, dataFolder, db => db.Rooms.AsNoTracking().AnyAsync(r => r.Id == room))),
            ("pooled DbContext + one trivial query", await TimeAsync(pool, db => db.Rooms.AsNoTracking().AnyAsync(r => r.Id == room))),
            ("event JSON, once", Time(() => JsonSerializer.SerializeToUtf8Bytes(sample, ParleyJson.Options))),
        };
        return steps;
    }

    private static async Task<long> InsertAsync(ParleyDbContext db, string roomId, string userId, bool returning)
    {
        await using var tx = await db.Database.BeginTransactionAsync();
        db.Database.AutoSavepointsEnabled = !returning;
        long seq;
        if (returning)
        {
            seq = (await db.Database.SqlQuery<long>($"""UPDATE "rooms" SET "LastSeq" = "LastSeq" + 1 WHERE "Id" = {roomId} RETURNING "LastSeq" AS "Value" """).ToListAsync()).Single();
        }
        else
        {
            await db.Rooms.Where(r => r.Id == roomId).ExecuteUpdateAsync(r => r.SetProperty(x => x.LastSeq, x => x.LastSeq + 1));
            seq = await db.Rooms.Where(r => r.Id == roomId).Select(r => r.LastSeq).SingleAsync();
        }
        db.Messages.Add(new Message { Id = Ids.New("m"), RoomId = roomId, Seq = seq, SenderId = userId, Text = "breakdown", SentAt = DateTimeOffset.UtcNow, Kind = MessageKind.Message });
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return seq;
    }

    /// <summary>Mean microseconds of one step, each on a fresh context as a request had before pooling (after a warm-up).</summary>
    private static Task<double> TimeAsync<T>(string? postgres, string dataFolder, Func<ParleyDbContext, Task<T>> step) =>
        TimeAsync(() => Seeded.Context(postgres, dataFolder), step);

    /// <summary>Mean microseconds of one step, each on a context from <paramref name="newContext"/> (after a warm-up).</summary>
    private static async Task<double> TimeAsync<T>(Func<ParleyDbContext> newContext, Func<ParleyDbContext, Task<T>> step)
    {
        for (var i = 0; i < 20; i++)
        {
            await using var db = newContext();
            await step(db);
        }
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Iterations; i++)
        {
            await using var db = newContext();
            await step(db);
        }
        return clock.Elapsed.TotalMicroseconds / Iterations;
    }

    private static double Time(Action step)
    {
        for (var i = 0; i < 1000; i++) step();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 10 * Iterations; i++) step();
        return clock.Elapsed.TotalMicroseconds / (10 * Iterations);
    }
}
