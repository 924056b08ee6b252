using Parley.Client.Broadcast;
using Parley.Core.Broadcast;

namespace Parley.Client;

/// <summary>
/// Signed picture broadcast (docs/broadcast.md): a ticket from the upload role, then the broadcast
/// request to the broadcast role. The two may be one node or two; discovery says which, and each
/// call goes to the node that plays its role with this client's token (the roles share the accounts).
/// </summary>
public sealed partial class ParleyClient
{
    /// <summary>What <see cref="DiscoverAsync"/> said, resolved once: roles do not move while a client lives.</summary>
    private RoleAddresses? _roles;

    /// <summary>Which roles the connected node plays, and where the others are.</summary>
    public Task<DiscoveryDto> DiscoverAsync(CancellationToken ct = default) => GetAsync<DiscoveryDto>("/api/discovery", ct);

    /// <summary>
    /// Sends a picture to the upload role as a broadcast transfer for <paramref name="roomId"/> and returns its ticket.
    /// Nothing is posted yet: <see cref="BroadcastAsync"/> with the ticket does that.
    /// </summary>
    /// <param name="mediaType">Defaults to a guess from the file's extension; only raster pictures are accepted (<c>broadcast.not_image</c>).</param>
    public async Task<PictureTicket> GetTicketAsync(string path, string roomId, string? mediaType = null, CancellationToken ct = default)
    {
        var node = (await RolesAsync(ct)).Upload;
        // The roles share the accounts, the devices and the feature library: the same first detection applies.
        using var other = node == Server ? null : new ParleyClient(node, Token) { Scanning = Scanning };
        return await PictureUpload.RequestTicketAsync(other ?? this, path, roomId, mediaType, ct);
    }

    /// <summary>
    /// Asks the broadcast role to show the ticket's picture to the other members of <paramref name="roomId"/>.
    /// A refusal names its reason: <c>ticket.replayed</c>, <c>ticket.tampered</c>, <c>ticket.expired</c>, …
    /// </summary>
    public async Task<BroadcastResultDto> BroadcastAsync(string roomId, string ticket, CancellationToken ct = default)
    {
        var node = (await RolesAsync(ct)).Broadcast;
        using var other = node == Server ? null : new ParleyClient(node, Token);
        return await (other ?? this).PostAsync<BroadcastResultDto>("/api/broadcasts", new BroadcastRequest(roomId, ticket), ct);
    }

    /// <remarks>
    /// The token goes to the address the connected node names: that node already holds the token's
    /// power, and names only its own deployment's other role.
    /// </remarks>
    private async Task<RoleAddresses> RolesAsync(CancellationToken ct) =>
        _roles ??= RoleAddresses.From(Server, await DiscoverAsync(ct));
}
