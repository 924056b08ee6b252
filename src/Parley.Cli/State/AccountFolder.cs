using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Parley.Client;

namespace Parley.Cli.State;

/// <summary>
/// What this install keeps for one user on one server: the device key (PKCS#8 PEM, owner-only), the
/// device id the server gave it, and per room the seq of the last message <c>listen</c> showed.
/// </summary>
internal sealed partial class AccountFolder(string path)
{
    private string KeyPath => Path.Combine(path, "device-key.pem");
    private string DeviceIdPath => Path.Combine(path, "device-id");

    /// <summary>Where <c>send FILE</c> remembers unfinished uploads, to continue them when the same send runs again.</summary>
    public string UploadsPath => Path.Combine(path, "uploads");

    /// <summary>The files this account shared recently, rescanned after feature library updates (docs/scanning.md).</summary>
    public string RecentSharesPath => Path.Combine(path, "recent-shares.json");

    /// <summary>The registered device of this install; null until both its key and its id are stored.</summary>
    public string? ReadDeviceId() =>
        File.Exists(KeyPath) && PrivateFiles.ReadOrNull(DeviceIdPath) is { } id && id.Trim().Length > 0 ? id.Trim() : null;

    /// <summary>The device key, or null when this install has none for the account.</summary>
    public DeviceKey? ReadKey() => PrivateFiles.ReadOrNull(KeyPath) is { } pem ? DeviceKey.ImportPem(pem) : null;

    /// <summary>Saved before the key is registered, so a key the server knows is never lost.</summary>
    public void SaveKey(DeviceKey key) => PrivateFiles.Write(KeyPath, key.ExportPrivateKeyPem());

    public void SaveDeviceId(string deviceId) => PrivateFiles.Write(DeviceIdPath, deviceId);

    public long? ReadCursor(string roomId) =>
        long.TryParse(PrivateFiles.ReadOrNull(CursorPath(roomId)), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;

    public void SaveCursor(string roomId, long seq) =>
        PrivateFiles.Write(CursorPath(roomId), seq.ToString(CultureInfo.InvariantCulture));

    /// <summary>One file per room, so two listeners on different rooms never overwrite each other's cursor.</summary>
    private string CursorPath(string roomId) =>
        Path.Combine(path, "cursors", SafeFileName().IsMatch(roomId) ? roomId : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(roomId))));

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex SafeFileName();
}
