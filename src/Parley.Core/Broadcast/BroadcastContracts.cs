namespace Parley.Core.Broadcast;

/// <summary>The broadcast picture request (SPEC §2 step 5): the ticket travels in its own field.</summary>
public sealed record BroadcastRequest(string Room, string Ticket);

/// <param name="Reached">How many other members of the room the picture was sent to.</param>
public sealed record BroadcastResultDto(string TicketId, string MessageId, int Reached);

/// <summary>What receivers get live: who sent which picture where, where to download it, and a small preview.</summary>
/// <param name="Thumbnail">A data: URL of a JPEG at most 160 pixels on its longer side, or null if none could be made.</param>
/// <param name="FileName">The name the sender gave the picture when storing it, if any.</param>
public sealed record BroadcastEvent(
    string RoomId, string MessageId, string SenderId, string SenderName, string ContentId, string MediaType, long Size,
    string DownloadUrl, string? Thumbnail, DateTimeOffset SentAt, string? FileName = null);

/// <summary>Which role of the deployment answers where (each role advertises the other).</summary>
public sealed record DiscoveryDto(IReadOnlyList<string> Roles, string? UploadUrl, string? BroadcastUrl);

/// <summary>Upload role → broadcast role: a ticket pushed in real time as it is issued (or fetched by id).</summary>
/// <param name="FileName">The picture's name from its broadcast transfer: the ticket's fixed format has no room for it, so it travels beside it.</param>
public sealed record TicketPushDto(string TicketId, string UserId, string DeviceId, string Ticket, DateTimeOffset ExpiresAt, string? FileName = null);

/// <summary>Upload role → broadcast role: the keys that verify and open tickets (node-authenticated only).</summary>
public sealed record TicketKeysDto(IReadOnlyList<SigningKeyDto> Signing, IReadOnlyList<DynamicKeyDto> Dynamic);

public sealed record SigningKeyDto(uint Id, string PublicKey);

/// <summary>What anyone may know (<c>GET /api/broadcast/keys</c>): the signing public keys, by id, to verify plain tickets. Never the dynamic keys.</summary>
public sealed record PublicTicketKeysDto(IReadOnlyList<SigningKeyDto> Signing);

public sealed record DynamicKeyDto(uint Id, string Key, DateTimeOffset CreatedAt);

public static class BroadcastLiveEvents
{
    /// <summary>Payload <see cref="BroadcastEvent"/>, to every member of the room but the sender.</summary>
    public const string Picture = "broadcast";
}
