using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Broadcast;
using Parley.Core.Json;
using Parley.Server.Hosting;
using Parley.Server.Storage;

namespace Parley.Server.Broadcast;

/// <summary>
/// The upload role's secrets, kept in the shared database so that every upload node of a deployment signs with the
/// same key and opens every other node's tickets (never logged; a database reader holds them, see docs/security.md):
/// one ECDSA P-256 signing key, and the dynamic AES keys. A node that finds the newest dynamic key older than the
/// rotation period adds a new one; two nodes rotating at once add two, both valid. A key is dropped only when no
/// ticket it sealed can still be valid, so tickets issued just before a rotation verify until they expire; its
/// bytes are zeroed then (<see cref="DynamicKey"/> owns them), and every key's when the node stops.
/// </summary>
public sealed class TicketKeys : IDisposable
{
    private const string SigningSecret = "ticket-signing-key";

    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _clock;
    private readonly BroadcastOptions _options;
    private readonly ConcurrentDictionary<uint, DynamicKey> _known = new();
    private DynamicKey? _current;

    public TicketKeys(IOptions<ParleyOptions> options, IServiceScopeFactory scopes, TimeProvider clock, ILogger<TicketKeys> log)
    {
        _scopes = scopes;
        _clock = clock;
        _options = options.Value.Broadcast;
        var earlier = new EarlierKeyFiles(options.Value.DataDirectory);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var pem = db.GetOrAdd(SigningSecret, () => earlier.SigningKey() ?? NewSigningKey(), clock);
        var key = ECDsa.Create();
        key.ImportFromPem(pem);
        Signing = new TicketSigningKey(key);
        if (earlier.Exist) earlier.MoveDynamicKeys(db, log);
    }

    public TicketSigningKey Signing { get; }

    private static string NewSigningKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKeyPem();
    }

    /// <summary>The key new tickets are sealed with, rotating first if its time is up.</summary>
    public async Task<DynamicKey> CurrentAsync(CancellationToken ct)
    {
        var now = _clock.Now();
        if (_current is { } cached && Fresh(cached.CreatedAt, now)) return cached;

        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var newest = await db.TicketKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).FirstOrDefaultAsync(ct);
        if (newest is not null && Fresh(newest.CreatedAt, now)) return _current = Remember(ToKey(newest));

        var retired = now - Retirement;
        await db.TicketKeys.Where(k => k.CreatedAt <= retired).ExecuteDeleteAsync(ct);
        foreach (var old in _known.Values.Where(k => k.CreatedAt <= retired))
            if (_known.TryRemove(old.Id, out var removed)) removed.Dispose();
        uint id;
        do id = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue); while (await db.TicketKeys.AnyAsync(k => k.Id == id, ct));
        var fresh = new TicketKey { Id = id, Key = RandomNumberGenerator.GetBytes(DynamicKey.KeyLength), CreatedAt = now };
        db.TicketKeys.Add(fresh);
        await db.SaveChangesAsync(ct);
        return _current = Remember(ToKey(fresh));
    }

    /// <summary>A dynamic key by id, whichever upload node made it; null when the deployment has no such key.</summary>
    public async Task<DynamicKey?> FindDynamicAsync(uint id, CancellationToken ct)
    {
        if (_known.TryGetValue(id, out var known)) return known;
        await using var scope = _scopes.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<ParleyDbContext>().TicketKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, ct);
        return stored is null ? null : Remember(ToKey(stored));
    }

    /// <summary>For the broadcast role only (node-authenticated): the public signing key and the secret dynamic keys.</summary>
    public async Task<TicketKeysDto> ExportAsync(CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var live = _clock.Now() - Retirement;
        var dynamic = await scope.ServiceProvider.GetRequiredService<ParleyDbContext>().TicketKeys.AsNoTracking()
            .Where(k => k.CreatedAt > live).ToListAsync(ct);
        var exported = dynamic.Select(k => new DynamicKeyDto((uint)k.Id, Convert.ToBase64String(k.Key), k.CreatedAt)).ToList();
        foreach (var row in dynamic) CryptographicOperations.ZeroMemory(row.Key);
        return new TicketKeysDto(Public().Signing, exported);
    }

    /// <summary>For anyone: only what verifies a plain ticket.</summary>
    public PublicTicketKeysDto Public() =>
        new([new SigningKeyDto(Signing.Id, Convert.ToBase64String(Signing.Key.ExportSubjectPublicKeyInfo()))]);

    /// <summary>A key retires once the last ticket it could have sealed has expired.</summary>
    private TimeSpan Retirement => _options.KeyRotation + _options.TicketLifetime;

    private bool Fresh(DateTimeOffset createdAt, DateTimeOffset now) => now - createdAt < _options.KeyRotation;

    /// <summary>The key known for this id: this one, or (when another request got there first) the one already known.</summary>
    private DynamicKey Remember(DynamicKey key)
    {
        var known = _known.GetOrAdd(key.Id, key);
        if (known != key) key.Dispose();
        return known;
    }

    /// <summary>The key out of its row; the row's copy of the bytes is cleared, the key owning its own.</summary>
    private static DynamicKey ToKey(TicketKey row)
    {
        var key = new DynamicKey((uint)row.Id, row.Key, row.CreatedAt);
        CryptographicOperations.ZeroMemory(row.Key);
        return key;
    }

    public void Dispose()
    {
        Signing.Dispose();
        foreach (var key in _known.Values) key.Dispose();
    }

    /// <summary>
    /// Data folders from before the keys moved into the database hold them in two files. Their keys are carried over
    /// (tickets already issued keep verifying, clients that pinned the public key keep it) and the files removed.
    /// </summary>
    private sealed class EarlierKeyFiles(string dataDirectory)
    {
        private readonly string _signing = Path.Combine(dataDirectory, "ticket-signing.pem");
        private readonly string _dynamic = Path.Combine(dataDirectory, "ticket-keys.json");

        public bool Exist => File.Exists(_signing) || File.Exists(_dynamic);

        public string? SigningKey() => File.Exists(_signing) ? File.ReadAllText(_signing) : null;

        public void MoveDynamicKeys(ParleyDbContext db, ILogger log)
        {
            if (File.Exists(_dynamic))
            {
                var keys = JsonSerializer.Deserialize<List<DynamicKeyDto>>(File.ReadAllText(_dynamic), ParleyJson.Options) ?? [];
                var stored = db.TicketKeys.Select(k => k.Id).ToHashSet();
                db.TicketKeys.AddRange(keys.Where(k => !stored.Contains(k.Id))
                    .Select(k => new TicketKey { Id = k.Id, Key = Convert.FromBase64String(k.Key), CreatedAt = k.CreatedAt }));
                db.SaveChanges();
                File.Delete(_dynamic);
            }
            File.Delete(_signing);
            log.LogInformation("Moved the ticket keys from the data folder into the database.");
        }
    }
}
