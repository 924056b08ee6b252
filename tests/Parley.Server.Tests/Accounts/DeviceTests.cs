using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Accounts;
using Parley.Core.Problems;

namespace Parley.Server.Tests.Accounts;

public sealed class DeviceTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;

    internal static RegisterDeviceRequest Registration(ECDsa key, string userId, string name = "laptop")
    {
        var publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        var proof = key.SignData(DeviceKeyRules.ProofMessage(userId, publicKey), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return new RegisterDeviceRequest(name, publicKey, Convert.ToBase64String(proof));
    }

    [Fact]
    public async Task A_device_key_with_a_valid_proof_is_registered_and_binds_the_session()
    {
        var user = await _api.NewUserWithoutDevice();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var device = await Api.Read<DeviceDto>(await Api.PostJson(user.Http, "/api/devices", Registration(key, user.Id)), HttpStatusCode.Created);

        Assert.Equal(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), device.PublicKey);
        Assert.Equal(device.Id, (await Api.Read<MeDto>(await user.Http.GetAsync("/api/me"))).DeviceId);
        var listed = await Api.Read<DeviceDto[]>(await user.Http.GetAsync("/api/devices"));
        Assert.Equal(device.Id, Assert.Single(listed).Id);

        var later = await _api.SignIn(user.Name, device.Id);
        Assert.Equal(device.Id, later.DeviceId);
    }

    [Fact]
    public async Task A_proof_made_for_another_user_is_refused()
    {
        var user = await _api.NewUserWithoutDevice();
        var other = await _api.NewUser();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var response = await Api.PostJson(user.Http, "/api/devices", Registration(key, other.Id));

        await Api.AssertProblem(response, HttpStatusCode.BadRequest, ProblemCodes.DeviceInvalidProof);
        Assert.Equal(0, await _api.InDatabase(db => db.Devices.CountAsync(d => d.UserId == user.Id)));
    }

    [Fact]
    public async Task A_proof_signed_by_a_different_key_is_refused()
    {
        var user = await _api.NewUser();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var honest = Registration(key, user.Id);
        var forged = honest with { Proof = Registration(impostor, user.Id).Proof };

        await Api.AssertProblem(await Api.PostJson(user.Http, "/api/devices", forged), HttpStatusCode.BadRequest, ProblemCodes.DeviceInvalidProof);
    }

    [Theory]
    [InlineData("not base64!")]
    [InlineData("AAAA")]
    public async Task Garbage_keys_are_refused(string publicKey)
    {
        var user = await _api.NewUser();

        var response = await Api.PostJson(user.Http, "/api/devices", new RegisterDeviceRequest("x", publicKey, "AAAA"));

        await Api.AssertProblem(response, HttpStatusCode.BadRequest, ProblemCodes.DeviceInvalidKey);
    }

    [Fact]
    public async Task Keys_on_other_curves_are_refused()
    {
        var user = await _api.NewUser();
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        await Api.AssertProblem(await Api.PostJson(user.Http, "/api/devices", Registration(p384, user.Id)), HttpStatusCode.BadRequest, ProblemCodes.DeviceInvalidKey);
    }

    [Fact]
    public async Task One_key_cannot_be_registered_twice()
    {
        var user = await _api.NewUser();
        var thief = await _api.NewUser();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await Api.Read<DeviceDto>(await Api.PostJson(user.Http, "/api/devices", Registration(key, user.Id)), HttpStatusCode.Created);

        await Api.AssertProblem(await Api.PostJson(user.Http, "/api/devices", Registration(key, user.Id, "again")), HttpStatusCode.Conflict, ProblemCodes.DeviceKeyTaken);
        await Api.AssertProblem(await Api.PostJson(thief.Http, "/api/devices", Registration(key, thief.Id)), HttpStatusCode.Conflict, ProblemCodes.DeviceKeyTaken);
    }

    [Fact]
    public async Task Signing_in_with_another_users_device_is_refused()
    {
        var owner = await _api.NewUser();
        var other = await _api.NewUser();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var device = await Api.Read<DeviceDto>(await Api.PostJson(owner.Http, "/api/devices", Registration(key, owner.Id)), HttpStatusCode.Created);

        var response = await Api.PostJson(fixture.Server.CreateHttpClient(), "/api/sessions", new SignInRequest(other.Name, Api.Password, device.Id));

        await Api.AssertProblem(response, HttpStatusCode.BadRequest, ProblemCodes.DeviceNotFound);
    }

    [Fact]
    public async Task Revoking_a_device_signs_out_every_session_bound_to_it_and_no_other()
    {
        var user = await _api.NewUser();
        var device = user.Device.Id;
        var sameDevice = Session(await _api.SignIn(user.Name, device));
        var otherInstall = Session(await _api.SignIn(user.Name));
        await using var bound = await _api.ConnectRegistered(user);
        var closed = new TaskCompletionSource();
        bound.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        Assert.Equal(HttpStatusCode.NoContent, (await otherInstall.DeleteAsync($"/api/devices/{device}")).StatusCode);

        await Api.AssertProblem(await user.Http.GetAsync("/api/me"), HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidToken);
        await Api.AssertProblem(await sameDevice.GetAsync("/api/me"), HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidToken);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(HubConnectionState.Disconnected, bound.State);
        Assert.Equal(HttpStatusCode.OK, (await otherInstall.GetAsync("/api/me")).StatusCode);
        Assert.Empty(await Api.Read<DeviceDto[]>(await otherInstall.GetAsync("/api/devices")));
        Assert.Equal(0, await _api.InDatabase(db => db.Sessions.CountAsync(s => s.DeviceId == device)));
        // Naming it at sign-in is refused, as for a device that never existed; the password alone still signs in.
        await Api.AssertProblem(await Api.PostJson(fixture.Server.CreateHttpClient(), "/api/sessions", new SignInRequest(user.Name, Api.Password, device)),
            HttpStatusCode.BadRequest, ProblemCodes.DeviceNotFound);
        Assert.Null((await _api.SignIn(user.Name)).DeviceId);
    }

    [Fact]
    public async Task A_device_of_another_user_or_one_already_revoked_cannot_be_revoked()
    {
        var owner = await _api.NewUser();
        var stranger = await _api.NewUser();

        await Api.AssertProblem(await stranger.Http.DeleteAsync($"/api/devices/{owner.Device.Id}"), HttpStatusCode.BadRequest, ProblemCodes.DeviceNotFound);
        await Api.AssertProblem(await stranger.Http.DeleteAsync("/api/devices/d_unknown"), HttpStatusCode.BadRequest, ProblemCodes.DeviceNotFound);
        Assert.Equal(owner.Device.Id, (await Api.Read<MeDto>(await owner.Http.GetAsync("/api/me"))).DeviceId);
        Assert.Equal(owner.Device.Id, Assert.Single(await Api.Read<DeviceDto[]>(await owner.Http.GetAsync("/api/devices"))).Id);

        var again = Session(await _api.SignIn(stranger.Name));
        Assert.Equal(HttpStatusCode.NoContent, (await again.DeleteAsync($"/api/devices/{stranger.Device.Id}")).StatusCode);
        await Api.AssertProblem(await again.DeleteAsync($"/api/devices/{stranger.Device.Id}"), HttpStatusCode.BadRequest, ProblemCodes.DeviceNotFound);
    }

    [Fact]
    public async Task Revoking_the_device_of_this_session_signs_this_session_out()
    {
        var user = await _api.NewUser();

        Assert.Equal(HttpStatusCode.NoContent, (await user.Http.DeleteAsync($"/api/devices/{user.Device.Id}")).StatusCode);

        await Api.AssertProblem(await user.Http.GetAsync("/api/devices"), HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidToken);
        Assert.Equal(0, await _api.InDatabase(db => db.Devices.CountAsync(d => d.UserId == user.Id)));
    }

    private HttpClient Session(SessionDto session)
    {
        var http = fixture.Server.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", session.Token);
        return http;
    }
}
