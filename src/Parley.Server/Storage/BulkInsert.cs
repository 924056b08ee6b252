using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Parley.Server.Storage;

/// <summary>
/// Many rows in few statements: one multi-row INSERT per batch, every value a parameter. For the hundreds of rows a
/// large blob brings, where a statement (or an entity in the change tracker) per row costs more than the rows.
/// </summary>
public static class BulkInsert
{
    /// <summary>Parameters per statement, well under SQLite's (32,766) and PostgreSQL's (65,535) limits.</summary>
    private const int MaxParameters = 3000;

    /// <param name="database">The context's database; the caller's transaction, if any, applies.</param>
    /// <param name="table">A table name from the model (a literal, never user input).</param>
    /// <param name="columns">Its column names (literals), in the order of each row's values.</param>
    /// <param name="rows">The values, one array per row.</param>
    /// <param name="suffix">What follows the values, e.g. <c>ON CONFLICT DO NOTHING</c>; empty for nothing.</param>
    public static async Task RowsAsync(
        DatabaseFacade database, string table, string[] columns, IEnumerable<object[]> rows, string suffix, CancellationToken ct)
    {
        var head = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => '"' + c + '"'))}) VALUES ";
        foreach (var batch in rows.Chunk(MaxParameters / columns.Length))
        {
            var values = string.Join(", ", batch.Select((_, row) =>
                "(" + string.Join(", ", columns.Select((_, column) => "{" + (row * columns.Length + column) + "}")) + ")"));
            // Only placeholders are spliced in; every value is a parameter.
            var insert = head + values + (suffix.Length > 0 ? " " + suffix : "");
            await database.ExecuteSqlRawAsync(insert, batch.SelectMany(row => row), ct);
        }
    }
}
