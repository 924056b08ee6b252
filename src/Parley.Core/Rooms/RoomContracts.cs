namespace Parley.Core.Rooms;

/// <summary>A group room has a name and invited members; a direct room holds exactly two users and is named after the peer.</summary>
public enum RoomKind { Group, Direct }

public sealed record CreateRoomRequest(string Name);

/// <param name="LastSeq">Sequence number of the newest message: a client whose cursor is lower has something to fetch.</param>
public sealed record RoomDto(string Id, string Name, RoomKind Kind, DateTimeOffset CreatedAt, long LastSeq);

public sealed record InvitationDto(string RoomId, string RoomName, string InvitedBy, DateTimeOffset CreatedAt);

public sealed record RoomListDto(IReadOnlyList<RoomDto> Rooms, IReadOnlyList<InvitationDto> Invitations);

public sealed record InviteRequest(string UserName);

/// <param name="Online">The member has a live connection (<c>/hub</c>) open on any node.</param>
public sealed record MemberDto(string UserId, string UserName, DateTimeOffset JoinedAt, bool Online = false);

public static class RoomRules
{
    public const int MaxNameLength = 100;

    /// <summary>Trims the name and refuses empty, over-long, or control-character names.</summary>
    public static bool TryNormalizeName(string? raw, out string name)
    {
        name = raw?.Trim() ?? "";
        return name.Length is > 0 and <= MaxNameLength && !name.Any(char.IsControl);
    }
}
