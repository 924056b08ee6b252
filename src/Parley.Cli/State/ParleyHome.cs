using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Cli.Session;
using Parley.Core.Json;

namespace Parley.Cli.State;

/// <summary>
/// The CLI's state folder, <c>$PARLEY_HOME</c> (default <c>~/.parley</c>): the current session, and one
/// <see cref="AccountFolder"/> per server and user. Pointing PARLEY_HOME elsewhere gives an independent
/// install, which is how two users are scripted on one machine.
/// </summary>
internal sealed partial class ParleyHome(string root)
{
    public const string EnvironmentVariable = "PARLEY_HOME";

    public string Root { get; } = root;

    private string SessionPath => Path.Combine(Root, "session.json");

    public static ParleyHome FromEnvironment()
    {
        var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return new ParleyHome(string.IsNullOrEmpty(configured)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".parley")
            : configured);
    }

    public StoredSession? ReadSession()
    {
        if (PrivateFiles.ReadOrNull(SessionPath) is not { } json) return null;
        try
        {
            return JsonSerializer.Deserialize<StoredSession>(json, ParleyJson.Options);
        }
        catch (JsonException e)
        {
            throw new CliException(CliCodes.CorruptState, $"{SessionPath} is damaged ({e.Message}); delete it and sign in again.");
        }
    }

    public void SaveSession(StoredSession session) =>
        PrivateFiles.Write(SessionPath, JsonSerializer.Serialize(session, ParleyJson.Options));

    public void DeleteSession() => File.Delete(SessionPath);

    /// <param name="userName">The server's normalized user name (safe as a folder name by the account rules).</param>
    public AccountFolder Account(Uri server, string userName) =>
        new(Path.Combine(Root, "accounts", FolderName(server), userName));

    /// <summary>This install's copy of a server's feature library (the same for every user of that server).</summary>
    public string FeatureLibraryPath(Uri server) => Path.Combine(Root, "features", FolderName(server) + ".txt");

    /// <summary>The view key this install pinned for a server (docs/views.md): every play there must be signed with it.</summary>
    public string ViewKeyPinPath(Uri server) => Path.Combine(Root, "view-keys", FolderName(server) + ".json");

    /// <summary><c>http://127.0.0.1:5080/</c> → <c>http-127.0.0.1-5080</c>: readable, and one folder level only.</summary>
    private static string FolderName(Uri server) =>
        UnsafeFolderCharacters().Replace($"{server.Scheme}-{server.Host}-{server.Port}{server.AbsolutePath.TrimEnd('/')}", "-");

    [GeneratedRegex("[^A-Za-z0-9.-]")]
    private static partial Regex UnsafeFolderCharacters();
}
