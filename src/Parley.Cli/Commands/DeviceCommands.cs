using System.CommandLine;
using System.Globalization;
using Parley.Cli.Output;
using Parley.Cli.Session;
using Spectre.Console;

namespace Parley.Cli.Commands;

/// <summary><c>devices</c>: the signed-in user's registered devices; <c>devices revoke ID</c> for one that is lost or retired.</summary>
public static class DeviceCommands
{
    public static Command Create()
    {
        var command = new Command("devices", "List your registered devices, oldest first (with --json: one per line); this install's is marked.") { Revoke() };
        return command.WithClientAction(async (cli, _, ct) =>
        {
            using var client = cli.SignedInClient();
            var me = await client.GetMeAsync(ct);
            foreach (var device in await client.ListDevicesAsync(ct))
            {
                var listed = new ListedDevice(device.Id, device.Name, device.CreatedAt, This: device.Id == me.DeviceId);
                cli.Output.Result(listed, d => Console.WriteLine(
                    $"{d.Id}  {HumanText.Clean(d.Name)}  (registered {d.RegisteredAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)}){(d.This ? "  this install" : "")}"));
            }
        });
    }

    private static Command Revoke()
    {
        var device = new Argument<string>("device") { Description = "The device's id, as 'parley devices' lists it." };
        var command = new Command("revoke",
            "Revoke a lost or retired device: its sessions are signed out everywhere and its key no longer signs shares or plays. " +
            "Revoking this install's own device signs this install out; 'parley login' then registers a new one.") { device };
        return command.WithClientAction(async (cli, parse, ct) =>
        {
            var deviceId = parse.GetValue(device)!;
            using var client = cli.SignedInClient();
            var me = await client.GetMeAsync(ct);
            await client.RevokeDeviceAsync(deviceId, ct);
            var own = deviceId == me.DeviceId;
            // The server ended this session with its device: a token kept here would only be refused.
            if (own) cli.Home.DeleteSession();
            cli.Output.Result(new RevokedDevice(deviceId, SignedOut: own), r => Console.WriteLine(r.SignedOut
                ? $"Revoked {r.Revoked}, this install's device: signed out here too. 'parley login' registers a new device."
                : $"Revoked {r.Revoked}: its sessions are signed out."));
        });
    }

    private sealed record ListedDevice(string Id, string Name, DateTimeOffset RegisteredAt, bool This);

    private sealed record RevokedDevice(string Revoked, bool SignedOut);
}
