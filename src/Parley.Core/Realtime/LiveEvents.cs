namespace Parley.Core.Realtime;

/// <summary>Names of the methods the hub invokes on connected clients, and where the hub lives.</summary>
public static class LiveEvents
{
    public const string HubPath = "/hub";

    /// <summary>
    /// The one method clients invoke on the hub: it answers once the server has registered the connection (SignalR runs
    /// invocations only after the hub's OnConnectedAsync), so from its answer on the client misses no event.
    /// </summary>
    public const string Ready = "Ready";

    /// <summary>Payload: <see cref="Messaging.MessageDto"/>.</summary>
    public const string Message = "message";

    /// <summary>Payload: <see cref="Rooms.InvitationDto"/>, sent to the invited user.</summary>
    public const string Invited = "invited";

    /// <summary>Payload: <see cref="MemberEvent"/>, sent to the room's members.</summary>
    public const string MemberJoined = "memberJoined";

    /// <summary>Payload: <see cref="MemberEvent"/>, sent to the room's remaining members and the leaver.</summary>
    public const string MemberLeft = "memberLeft";

    /// <summary>
    /// Payload: <see cref="PresenceEvent"/>, sent to everyone who shares a room with the user (and the user) when one of the
    /// user's live connections opens, closes or expires. A hint: the members list (<c>online</c>) is the truth.
    /// </summary>
    public const string Presence = "presence";
}

/// <param name="Online">Whether the user had a live connection left when the event was sent.</param>
public sealed record PresenceEvent(string UserId, string UserName, bool Online);

public sealed record MemberEvent(string RoomId, string UserId, string UserName);
