using Parley.Core.Rooms;

namespace Parley.Server.Storage;

public sealed class User
{
    public required string Id { get; init; }
    /// <summary>Lower-case, unique (see <see cref="Core.Accounts.AccountRules"/>).</summary>
    public required string UserName { get; init; }
    public required string PasswordHash { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed class Device
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string Name { get; init; }
    /// <summary>P-256 SubjectPublicKeyInfo; unique, so one key identifies one device.</summary>
    public required byte[] PublicKey { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A signed-in session. Only the SHA-256 of its bearer token is kept, so a leaked database yields no usable token.</summary>
public sealed class Session
{
    public required string Id { get; init; }
    public required byte[] TokenHash { get; init; }
    public required string UserId { get; init; }
    public string? DeviceId { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}

public sealed class Room
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required RoomKind Kind { get; init; }
    /// <summary>For direct rooms only: the two user ids, sorted and joined, so a pair has one room.</summary>
    public string? DirectKey { get; init; }
    public required string CreatedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>Sequence number of the newest message, bumped inside the posting transaction.</summary>
    public long LastSeq { get; set; }
}

public sealed class RoomMember
{
    public required string RoomId { get; init; }
    public required string UserId { get; init; }
    public required DateTimeOffset JoinedAt { get; init; }
}

public sealed class RoomInvitation
{
    public required string RoomId { get; init; }
    public required string UserId { get; init; }
    public required string InvitedBy { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// One open hub connection, for presence. In the database every node shares, so "online" holds across a cluster; its
/// node renews <see cref="ExpiresAt"/> while the connection lives, so the connections of a node that died expire.
/// </summary>
public sealed class LiveConnection
{
    public required string ConnectionId { get; init; }
    public required string UserId { get; init; }
    public required string NodeId { get; init; }
    public required DateTimeOffset ExpiresAt { get; set; }
}

public sealed class Message
{
    public required string Id { get; init; }
    public required string RoomId { get; init; }
    public required long Seq { get; init; }
    public required string SenderId { get; init; }
    /// <summary>The current text: an edit replaces it, a deletion empties it (and the text of the message's edit entries).</summary>
    public required string Text { get; set; }
    public string? ClientMessageId { get; init; }
    public required DateTimeOffset SentAt { get; init; }
    /// <summary>The blob this message delivers, if any: what keeps the blob from being collected (a deletion lets it go).</summary>
    public string? MediaContentId { get; set; }
    public long? MediaSize { get; set; }
    public string? MediaType { get; set; }
    public string? MediaFileName { get; set; }
    /// <summary>Mirrors an unreleased <see cref="Quarantine"/> of the media, so history carries it without a join.</summary>
    public bool MediaQuarantined { get; set; }
    /// <summary>A message, or an entry that edits or deletes <see cref="TargetId"/> (docs/messaging.md).</summary>
    public Core.Messaging.MessageKind Kind { get; init; }
    public string? ReplyToId { get; init; }
    public string? TargetId { get; init; }
    public DateTimeOffset? EditedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    /// <summary>Seq of the newest edit or deletion entry already applied to this row.</summary>
    public long? ChangedSeq { get; set; }
}
