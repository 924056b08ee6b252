using Microsoft.Data.Sqlite;
using Parley.Testing;

namespace Parley.Client.Tests.Passphrase;

/// <summary>Looks through every file the server keeps, for bytes that must never reach it.</summary>
internal static class ServerFiles
{
    public static void AssertNowhere(string dataDirectory, params byte[][] secrets)
    {
        // Closing pooled connections checkpoints SQLite's write-ahead log into the files read below.
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories))
        {
            using var stream = ServerFile.OpenIfPresent(file);
            if (stream is null) continue;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var content = copy.GetBuffer().AsSpan(0, (int)copy.Length);
            foreach (var secret in secrets) Assert.True(content.IndexOf(secret) < 0, $"Plaintext found in {file}");
        }
    }
}
