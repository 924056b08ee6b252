using System.Security.Cryptography;
using System.Text;

namespace Parley.Core.Accounts;

/// <summary>
/// A device proves it holds the private half of the key it registers by signing a message that
/// binds the key to the user. The private key never leaves the device; later capabilities verify
/// what the device signs with the public key stored here.
/// </summary>
public static class DeviceKeyRules
{
    public const int MaxDeviceNameLength = 64;

    public static byte[] ProofMessage(string userId, string publicKeyBase64) =>
        Encoding.UTF8.GetBytes($"parley-device-v1\n{userId}\n{publicKeyBase64}");

    /// <summary>Parses a base64 SubjectPublicKeyInfo and accepts it only if it is a valid P-256 point.</summary>
    public static bool TryImportPublicKey(string? publicKeyBase64, out byte[] spki)
    {
        spki = [];
        if (string.IsNullOrEmpty(publicKeyBase64) || publicKeyBase64.Length > 512) return false;
        try
        {
            var bytes = Convert.FromBase64String(publicKeyBase64);
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(bytes, out var read);
            if (read != bytes.Length) return false;
            var parameters = key.ExportParameters(includePrivateParameters: false);
            if (parameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value) return false;
            spki = bytes;
            return true;
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }

    public static bool VerifyProof(byte[] spki, string userId, string publicKeyBase64, string? proofBase64)
    {
        if (string.IsNullOrEmpty(proofBase64) || proofBase64.Length > 256) return false;
        try
        {
            var signature = Convert.FromBase64String(proofBase64);
            using var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(spki, out _);
            return key.VerifyData(ProofMessage(userId, publicKeyBase64), signature, HashAlgorithmName.SHA256,
                DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }
}
