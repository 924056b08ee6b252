using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Parley.Core.Accounts;
using Parley.Core.Json;
using Parley.Core.Problems;

namespace Parley.Client.Tests;

public sealed class DeviceTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task A_device_key_with_its_proof_is_registered_and_binds_the_session()
    {
        var alice = await fixture.NewUserWithoutDeviceAsync("alice");
        using var key = DeviceKey.Create();

        var device = await alice.Client.RegisterDeviceAsync(key, "laptop", alice.Id);

        Assert.Equal(key.PublicKeyBase64, device.PublicKey);
        Assert.Equal(device.Id, (await alice.Client.GetMeAsync()).DeviceId);
        Assert.Equal([device.Id], (await alice.Client.ListDevicesAsync()).Select(d => d.Id));
        var later = await fixture.NewClient().SignInAsync(alice.Name, ServerFixture.Password, device.Id);
        Assert.Equal(device.Id, later.DeviceId);
    }

    [Fact]
    public async Task A_proof_made_for_another_user_is_refused()
    {
        var alice = await fixture.NewUserAsync("alice");
        var mallory = await fixture.NewUserAsync("mallory");
        using var key = DeviceKey.Create();

        await ApiAssert.Refused(400, ProblemCodes.DeviceInvalidProof, () => mallory.Client.RegisterDeviceAsync(key, "stolen", alice.Id));
    }

    [Fact]
    public async Task A_proof_signed_by_a_different_key_is_refused()
    {
        var mallory = await fixture.NewUserAsync("mallory");
        using var claimed = DeviceKey.Create();
        using var signer = DeviceKey.Create();
        var forged = Convert.ToBase64String(signer.Sign(DeviceKeyRules.ProofMessage(mallory.Id, claimed.PublicKeyBase64)));

        // The client only ever builds honest proofs, so the forgery goes out as raw HTTP.
        using var http = fixture.Server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", mallory.Client.Token);
        var response = await http.PostAsJsonAsync("/api/devices", new RegisterDeviceRequest("forged", claimed.PublicKeyBase64, forged), ParleyJson.Options);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains(ProblemCodes.DeviceInvalidProof, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Signing_in_with_another_users_device_is_refused()
    {
        var alice = await fixture.NewUserAsync("alice");
        var bob = await fixture.NewUserAsync("bob");
        using var key = DeviceKey.Create();
        var alicesDevice = await alice.Client.RegisterDeviceAsync(key, "phone", alice.Id);

        await ApiAssert.Refused(400, ProblemCodes.DeviceNotFound,
            () => fixture.NewClient().SignInAsync(bob.Name, ServerFixture.Password, alicesDevice.Id));
    }

    [Fact]
    public async Task A_revoked_device_signs_its_sessions_out_and_is_no_longer_listed()
    {
        var alice = await fixture.NewUserAsync("alice");
        var lost = (await alice.Client.GetMeAsync()).DeviceId!;
        var elsewhere = fixture.NewClient();
        await elsewhere.SignInAsync(alice.Name, ServerFixture.Password);

        await elsewhere.RevokeDeviceAsync(lost);

        await ApiAssert.Refused(401, ProblemCodes.AuthInvalidToken, () => alice.Client.GetMeAsync());
        Assert.DoesNotContain(lost, (await elsewhere.ListDevicesAsync()).Select(d => d.Id));
        await ApiAssert.Refused(400, ProblemCodes.DeviceNotFound, () => elsewhere.RevokeDeviceAsync(lost));
    }

    [Fact]
    public void A_key_survives_a_round_trip_through_pkcs8_pem_and_its_proofs_verify()
    {
        using var key = DeviceKey.Create();
        var pem = key.ExportPrivateKeyPem();

        using var restored = DeviceKey.ImportPem(pem);

        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem);
        Assert.Equal(key.PublicKeyBase64, restored.PublicKeyBase64);
        Assert.True(DeviceKeyRules.TryImportPublicKey(key.PublicKeyBase64, out var spki));
        Assert.True(DeviceKeyRules.VerifyProof(spki, "u_someone", key.PublicKeyBase64, restored.CreateProof("u_someone")));
        Assert.False(DeviceKeyRules.VerifyProof(spki, "u_other", key.PublicKeyBase64, restored.CreateProof("u_someone")));
    }

    [Fact]
    public void A_key_on_another_curve_is_not_accepted_as_a_device_key()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.ThrowsAny<CryptographicException>(() => DeviceKey.ImportPem(p384.ExportPkcs8PrivateKeyPem()));
    }
}
