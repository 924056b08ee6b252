using Parley.Client;
using Parley.Client.Scanning;

namespace Parley.Testing;

/// <summary>
/// What every signed-in test client needs to share media: the server requires a local security identifier on each
/// share, signed by the device key registered for the session (docs/scanning.md, "The client side").
/// </summary>
public static class ScanningDevice
{
    /// <summary>
    /// Registers a fresh device key for <paramref name="client"/>'s session and makes the client scan every share, its
    /// copy of the feature library kept in <paramref name="folder"/>. Returns the key: the caller disposes it after the client.
    /// </summary>
    public static async Task<DeviceKey> ScanWithNewDeviceAsync(this ParleyClient client, string userId, string folder)
    {
        var key = DeviceKey.Create();
        try
        {
            await client.RegisterDeviceAsync(key, "test device", userId);
        }
        catch
        {
            key.Dispose();
            throw;
        }
        client.Scanning = new ShareScanning(key, new LocalFeatureStore(Path.Combine(folder, $"library-{userId}.txt")));
        return key;
    }
}
