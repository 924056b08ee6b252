using Parley.Core.Accounts;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    public Task<UserDto> RegisterAsync(string userName, string password, CancellationToken ct = default) =>
        PostAsync<UserDto>("/api/accounts", new RegisterRequest(userName, password), ct);

    /// <summary>Signs in and keeps the new session's token in <see cref="Token"/>.</summary>
    /// <param name="deviceId">A device this user registered from this install before; binds the session to it.</param>
    public async Task<SessionDto> SignInAsync(string userName, string password, string? deviceId = null, CancellationToken ct = default)
    {
        var session = await PostAsync<SessionDto>("/api/sessions", new SignInRequest(userName, password, deviceId), ct);
        Token = session.Token;
        return session;
    }

    /// <summary>Revokes the current token on the server, then forgets it.</summary>
    public async Task SignOutAsync(CancellationToken ct = default)
    {
        using var _ = await SendRawAsync(HttpMethod.Delete, "/api/sessions/current", body: null, ct);
        Token = null;
    }

    public Task<MeDto> GetMeAsync(CancellationToken ct = default) => GetAsync<MeDto>("/api/me", ct);

    /// <summary>
    /// Registers <paramref name="key"/> as a device of the signed-in user, proving possession by
    /// signing the user-bound message; only the public half is sent. The current session becomes this device's.
    /// </summary>
    public Task<DeviceDto> RegisterDeviceAsync(DeviceKey key, string deviceName, string userId, CancellationToken ct = default) =>
        PostAsync<DeviceDto>("/api/devices", new RegisterDeviceRequest(deviceName, key.PublicKeyBase64, key.CreateProof(userId)), ct);

    public Task<DeviceDto[]> ListDevicesAsync(CancellationToken ct = default) => GetAsync<DeviceDto[]>("/api/devices", ct);

    /// <summary>
    /// Revokes one of the signed-in user's devices: its sessions are signed out everywhere and its key stops counting.
    /// Revoking the device of this client's own session signs this client out as well (<see cref="Token"/> is then useless).
    /// </summary>
    public async Task RevokeDeviceAsync(string deviceId, CancellationToken ct = default)
    {
        using var _ = await SendRawAsync(HttpMethod.Delete, $"/api/devices/{Segment(deviceId)}", body: null, ct);
    }
}
