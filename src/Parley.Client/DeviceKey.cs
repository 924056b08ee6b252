using System.Security.Cryptography;
using Parley.Core.Accounts;

namespace Parley.Client;

/// <summary>
/// This install's device key: an ECDSA P-256 key pair whose private half never leaves the machine.
/// The server stores the public half and later verifies what the device signs with it.
/// </summary>
public sealed class DeviceKey : IDisposable
{
    private readonly ECDsa _key;

    private DeviceKey(ECDsa key)
    {
        _key = key;
        PublicKeyBase64 = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The public key as base64 SubjectPublicKeyInfo, the form the server registers.</summary>
    public string PublicKeyBase64 { get; }

    public static DeviceKey Create() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Loads a private key saved by <see cref="ExportPrivateKeyPem"/>; refuses keys on other curves.</summary>
    /// <exception cref="CryptographicException">The PEM holds no usable P-256 private key.</exception>
    public static DeviceKey ImportPem(string pem)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            var parameters = key.ExportParameters(includePrivateParameters: true);
            if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
                throw new CryptographicException("A device key must be on the P-256 curve.");
            return new DeviceKey(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The private key as PKCS#8 PEM: keep it where only its owner can read it.</summary>
    public string ExportPrivateKeyPem() => _key.ExportPkcs8PrivateKeyPem();

    /// <summary>ECDSA-SHA256 in IEEE P1363 form (r||s), the format WebCrypto produces and the server verifies.</summary>
    public byte[] Sign(byte[] data) =>
        _key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    /// <summary>The base64 proof of possession that binds this key to <paramref name="userId"/>.</summary>
    public string CreateProof(string userId) => Convert.ToBase64String(Sign(DeviceKeyRules.ProofMessage(userId, PublicKeyBase64)));

    public void Dispose() => _key.Dispose();
}
