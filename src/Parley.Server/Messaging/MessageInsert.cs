using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Parley.Server.Storage;

namespace Parley.Server.Messaging;

/// <summary>
/// Writes a new message and takes its room's next sequence number together, in the fewest statements each provider
/// allows, as raw SQL: EF's change tracking and update pipeline cost more CPU than the statements themselves, and the
/// row is never read back through the context.
/// <list type="bullet">
/// <item>PostgreSQL: one statement, the bump in a data-modifying CTE (<c>WITH bumped AS (UPDATE rooms … RETURNING)
/// INSERT … VALUES (…, (SELECT … FROM bumped), …)</c>), so one round trip and no explicit transaction. The bump locks the
/// room's row until the statement commits, so sequence order is still commit order; a refused insert rolls the bump
/// back with it, so there is no gap.</item>
/// <item>SQLite: the bump and the insert as one command inside <c>BEGIN IMMEDIATE … COMMIT</c> (SQLite has no
/// data-modifying CTE). The write lock is taken at BEGIN and held to COMMIT, so the same holds.</item>
/// </list>
/// </summary>
public static class MessageInsert
{
    /// <summary>Inserts <paramref name="message"/> (its <see cref="Message.Seq"/> is ignored: the room's next one is taken).</summary>
    /// <returns>The message's sequence number, or null when the unique (room, sender, <c>clientMessageId</c>) index
    /// refused it: the client's retry of a message already posted, maybe concurrently.</returns>
    public static async Task<long?> Run(ParleyDbContext db, Message message, CancellationToken ct)
    {
        try
        {
            if (db is PostgresParleyDbContext) return await Single(db, Statement(db, message), ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var seq = await Single(db, Statement(db, message), ct);
            await tx.CommitAsync(ct);
            return seq;
        }
        catch (DbException e) when (message.ClientMessageId is not null && IsUniqueViolation(e))
        {
            return null;
        }
    }

    private static async Task<long> Single(ParleyDbContext db, FormattableString sql, CancellationToken ct) =>
        (await db.Database.SqlQuery<long>(sql).ToListAsync(ct)).Single();

    // {0} is the room's id in every statement; the providers differ only in how the bump is written and read.
    private const string PostgresBump = """WITH bumped AS (UPDATE "rooms" SET "LastSeq" = "LastSeq" + 1 WHERE "Id" = {0} RETURNING "LastSeq") """;
    private const string PostgresNext = """(SELECT "LastSeq" FROM bumped)""";
    private const string SqliteBump = """UPDATE "rooms" SET "LastSeq" = "LastSeq" + 1 WHERE "Id" = {0}; """;
    private const string SqliteNext = """(SELECT "LastSeq" FROM "rooms" WHERE "Id" = {0})""";

    private static FormattableString Statement(ParleyDbContext db, Message m)
    {
        var (bump, next) = db is PostgresParleyDbContext ? (PostgresBump, PostgresNext) : (SqliteBump, SqliteNext);
        return FormattableStringFactory.Create(bump + $$"""
            INSERT INTO "messages" ("RoomId", "Seq", "Id", "SenderId", "Text", "ClientMessageId", "SentAt", "ReplyToId",
                "MediaContentId", "MediaSize", "MediaType", "MediaFileName", "MediaQuarantined", "Kind")
            VALUES ({0}, {{next}}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12})
            RETURNING "Seq" AS "Value"
            """,
            m.RoomId, m.Id, m.SenderId, m.Text, m.ClientMessageId, StoredTime.InColumn(m.SentAt), m.ReplyToId,
            m.MediaContentId, m.MediaSize, m.MediaType, m.MediaFileName, m.MediaQuarantined, m.Kind.ToString()); // enums are stored by name (ParleyDbContext)
    }

    private static bool IsUniqueViolation(DbException e) => e switch
    {
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 2067, // SQLITE_CONSTRAINT_UNIQUE
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
