using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Parley.Core.Broadcast;
using Parley.Core.Json;
using Parley.Server.Hosting;
using Parley.Server.Storage;

namespace Parley.Server.Broadcast;

/// <summary>
/// The upload role's secrets, kept in the data folder (created on first use, owner-only, never
/// logged): one ECDSA P-256 signing key, and the dynamic AES keys. A new dynamic key is made when
/// the newest is older than the rotation period; a key is dropped only when no ticket it sealed can
/// still be valid, so tickets issued just before a rotation verify until they expire.
/// </summary>
public sealed class TicketKeys : IDisposable
{
    private readonly string _dynamicPath;
    private readonly TimeProvider _clock;
    private readonly BroadcastOptions _options;
    private readonly Lock _gate = new();
    private List<DynamicKey> _dynamic;

    public TicketKeys(IOptions<ParleyOptions> options, TimeProvider clock)
    {
        _clock = clock;
        _options = options.Value.Broadcast;
        var data = options.Value.DataDirectory;
        Signing = new TicketSigningKey(LoadOrCreateSigningKey(Path.Combine(data, "ticket-signing.pem")));
        _dynamicPath = Path.Combine(data, "ticket-keys.json");
        _dynamic = File.Exists(_dynamicPath)
            ? JsonSerializer.Deserialize<List<DynamicKeyDto>>(File.ReadAllText(_dynamicPath), ParleyJson.Options)!
                .Select(k => new DynamicKey(k.Id, Convert.FromBase64String(k.Key), k.CreatedAt)).ToList()
            : [];
    }

    public TicketSigningKey Signing { get; }

    private static ECDsa LoadOrCreateSigningKey(string path)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        PrivateFile.Write(path, key.ExportPkcs8PrivateKeyPem());
        return key;
    }

    /// <summary>The key new tickets are sealed with, rotating it first if its time is up.</summary>
    public DynamicKey Current()
    {
        lock (_gate)
        {
            var now = _clock.Now();
            var newest = _dynamic.MaxBy(k => k.CreatedAt);
            if (newest is not null && now - newest.CreatedAt < _options.KeyRotation) return newest;

            uint id;
            do id = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue); while (_dynamic.Any(k => k.Id == id));
            var fresh = new DynamicKey(id, RandomNumberGenerator.GetBytes(32), now);
            // A key retires once the last ticket it could have sealed has expired.
            _dynamic = [.. _dynamic.Where(k => now - k.CreatedAt < _options.KeyRotation + _options.TicketLifetime), fresh];
            PrivateFile.Write(_dynamicPath, JsonSerializer.Serialize(_dynamic.Select(ToDto), ParleyJson.Options));
            return fresh;
        }
    }

    public DynamicKey? FindDynamic(uint id)
    {
        lock (_gate) return _dynamic.FirstOrDefault(k => k.Id == id);
    }

    /// <summary>For the broadcast role only (node-authenticated): the public signing key and the secret dynamic keys.</summary>
    public TicketKeysDto Export()
    {
        lock (_gate)
            return new TicketKeysDto(Public().Signing, _dynamic.Select(ToDto).ToList());
    }

    /// <summary>For anyone: only what verifies a plain ticket.</summary>
    public PublicTicketKeysDto Public() =>
        new([new SigningKeyDto(Signing.Id, Convert.ToBase64String(Signing.Key.ExportSubjectPublicKeyInfo()))]);

    private static DynamicKeyDto ToDto(DynamicKey k) => new(k.Id, Convert.ToBase64String(k.Key), k.CreatedAt);

    public void Dispose() => Signing.Dispose();
}

/// <summary>Writes a secret so that only the server's own user can read it.</summary>
internal static class PrivateFile
{
    public static void Write(string path, string text)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, "");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
