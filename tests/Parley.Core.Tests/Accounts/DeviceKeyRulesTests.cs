using System.Security.Cryptography;
using Parley.Core.Accounts;

namespace Parley.Core.Tests.Accounts;

public sealed class DeviceKeyRulesTests
{
    private static (string PublicKey, string Proof) Sign(ECDsa key, string userId)
    {
        var publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        var proof = key.SignData(DeviceKeyRules.ProofMessage(userId, publicKey), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return (publicKey, Convert.ToBase64String(proof));
    }

    [Fact]
    public void The_proof_message_binds_user_and_key() =>
        Assert.Equal("parley-device-v1\nu_1\nKEY"u8.ToArray(), DeviceKeyRules.ProofMessage("u_1", "KEY"));

    [Fact]
    public void A_p256_key_and_its_own_proof_verify()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (publicKey, proof) = Sign(key, "u_1");

        Assert.True(DeviceKeyRules.TryImportPublicKey(publicKey, out var spki));
        Assert.True(DeviceKeyRules.VerifyProof(spki, "u_1", publicKey, proof));
    }

    [Fact]
    public void A_proof_for_another_user_does_not_verify()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (publicKey, proof) = Sign(key, "u_1");
        DeviceKeyRules.TryImportPublicKey(publicKey, out var spki);

        Assert.False(DeviceKeyRules.VerifyProof(spki, "u_2", publicKey, proof));
    }

    [Fact]
    public void A_tampered_proof_does_not_verify()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var (publicKey, proof) = Sign(key, "u_1");
        var bytes = Convert.FromBase64String(proof);
        bytes[10] ^= 1;
        DeviceKeyRules.TryImportPublicKey(publicKey, out var spki);

        Assert.False(DeviceKeyRules.VerifyProof(spki, "u_1", publicKey, Convert.ToBase64String(bytes)));
        Assert.False(DeviceKeyRules.VerifyProof(spki, "u_1", publicKey, "not base64"));
        Assert.False(DeviceKeyRules.VerifyProof(spki, "u_1", publicKey, null));
    }

    [Fact]
    public void Keys_that_are_not_p256_are_refused()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);

        Assert.False(DeviceKeyRules.TryImportPublicKey(Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo()), out _));
        Assert.False(DeviceKeyRules.TryImportPublicKey(Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo()), out _));
        Assert.False(DeviceKeyRules.TryImportPublicKey("%%%", out _));
        Assert.False(DeviceKeyRules.TryImportPublicKey(null, out _));
    }

    [Fact]
    public void Trailing_bytes_after_the_key_are_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var padded = key.ExportSubjectPublicKeyInfo().Concat(new byte[] { 0 }).ToArray();

        Assert.False(DeviceKeyRules.TryImportPublicKey(Convert.ToBase64String(padded), out _));
    }
}
