using Parley.Core.Broadcast;

namespace Parley.Client.Broadcast;

/// <summary>
/// Where each role of a signed picture broadcast answers, as the connected node tells it
/// (<c>GET /api/discovery</c>, docs/broadcast.md): the node itself for each role it plays, else the
/// address it names for the node that does.
/// </summary>
internal sealed record RoleAddresses(Uri Upload, Uri Broadcast)
{
    private const string UploadRole = "upload";
    private const string BroadcastRole = "broadcast";

    public static RoleAddresses From(Uri connected, DiscoveryDto discovery) => new(
        Pick(connected, discovery, UploadRole, discovery.UploadUrl),
        Pick(connected, discovery, BroadcastRole, discovery.BroadcastUrl));

    /// <summary>
    /// A node that neither plays the role nor names a usable address is asked anyway: its refusal
    /// (<c>broadcast.wrong_role</c>) says what is wrong better than a guess here would.
    /// </summary>
    private static Uri Pick(Uri connected, DiscoveryDto discovery, string role, string? named) =>
        !discovery.Roles.Contains(role) && Uri.TryCreate(named, UriKind.Absolute, out var other) && other.Scheme is "http" or "https"
            ? other
            : connected;
}
