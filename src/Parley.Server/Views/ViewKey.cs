using System.Buffers.Text;
using System.Security.Cryptography;
using Parley.Core.Views;
using Parley.Server.Storage;

namespace Parley.Server.Views;

/// <summary>
/// The server's long-term view key (docs/views.md, "Key derivation"): ECDSA P-256, PKCS#8 base64 in shared_secrets as
/// <c>views-signing-key</c>, so every node of a deployment signs with the same key and clients pin one key for all of
/// them. It signs each play's transcript (IEEE P1363, base64url); clients verify that before they derive the play key.
/// </summary>
public sealed class ViewKey : IDisposable
{
    public const string SecretName = "views-signing-key";

    private readonly ECDsa _key;

    public ViewKey(IServiceScopeFactory scopes, TimeProvider clock)
    {
        using (var scope = scopes.CreateScope())
        {
            var stored = scope.ServiceProvider.GetRequiredService<ParleyDbContext>().GetOrAdd(SecretName, NewKey, clock);
            _key = ECDsa.Create();
            _key.ImportPkcs8PrivateKey(Convert.FromBase64String(stored), out _);
        }
        var publicKey = _key.ExportSubjectPublicKeyInfo();
        Public = new ViewKeyDto(IdOf(publicKey), Base64Url.EncodeToString(publicKey));
    }

    public ViewKeyDto Public { get; }

    /// <summary><c>vk_</c> and the first 16 hex digits of SHA-256 of the SubjectPublicKeyInfo bytes.</summary>
    public static string IdOf(ReadOnlySpan<byte> publicKey) => "vk_" + Convert.ToHexStringLower(SHA256.HashData(publicKey))[..16];

    /// <summary>ECDSA-SHA256 over the transcript's bytes, IEEE P1363 (64 bytes), base64url.</summary>
    public string Sign(PlayTranscript transcript) =>
        Base64Url.EncodeToString(_key.SignData(transcript.ToBytes(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    private static string NewKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(key.ExportPkcs8PrivateKey());
    }

    public void Dispose() => _key.Dispose();
}
