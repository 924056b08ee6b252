using Parley.Cli.State;
using Parley.Client;
using Parley.Core.Accounts;
using Parley.Core.Problems;

namespace Parley.Cli.Session;

/// <summary>
/// Signs in as this install's device: with the device registered here before if there is one,
/// otherwise registering a new device key (its private half stays in PARLEY_HOME). Stores the session.
/// </summary>
internal static class SignInFlow
{
    public static async Task<MeDto> SignInAsync(CliContext cli, ParleyClient client, string userName, string password, CancellationToken ct)
    {
        var knownDevice = AccountRules.TryNormalizeUserName(userName, out var normalized)
            ? cli.Home.Account(cli.Server, normalized).ReadDeviceId()
            : null;
        SessionDto session;
        try
        {
            session = await client.SignInAsync(userName, password, knownDevice, ct);
        }
        catch (ParleyApiException e) when (e.Code == ProblemCodes.DeviceNotFound && knownDevice is not null)
        {
            // The server no longer knows this install's device (it was revoked, or the data was reset): start over with a new one.
            knownDevice = null;
            session = await client.SignInAsync(userName, password, deviceId: null, ct);
        }

        var account = cli.Home.Account(cli.Server, session.UserName);
        var deviceId = knownDevice ?? await RegisterNewDeviceAsync(client, account, session.UserId, ct);
        cli.Home.SaveSession(new StoredSession(cli.Server.AbsoluteUri, session.UserId, session.UserName, session.Token));
        return new MeDto(session.UserId, session.UserName, deviceId);
    }

    private static async Task<string> RegisterNewDeviceAsync(ParleyClient client, AccountFolder account, string userId, CancellationToken ct)
    {
        using var key = DeviceKey.Create();
        account.SaveKey(key);
        var device = await client.RegisterDeviceAsync(key, DeviceName(), userId, ct);
        account.SaveDeviceId(device.Id);
        return device.Id;
    }

    /// <summary>What the user sees in their device list: this program on this machine.</summary>
    private static string DeviceName()
    {
        var name = $"parley CLI on {new string(Environment.MachineName.Where(c => !char.IsControl(c)).ToArray())}";
        return name.Length <= DeviceKeyRules.MaxDeviceNameLength ? name : name[..DeviceKeyRules.MaxDeviceNameLength];
    }
}
