using Parley.Core.Passphrase;

namespace Parley.Server.Storage;

/// <summary>
/// One relayed SPAKE2 handshake. The server stores only public values (shares, confirmations,
/// randoms): none of them lets it test a passphrase guess offline (docs/passphrase.md).
/// </summary>
public sealed class PakeSession
{
    public required string Id { get; init; }
    public required string InitiatorId { get; init; }
    public string? ResponderId { get; set; }
    /// <summary>Code mode: the slot number while the session is open; cleared when it ends, freeing the slot.</summary>
    public int? Slot { get; set; }
    public required bool CodeMode { get; init; }
    public required PakeState State { get; set; }
    public required byte[] RequestShare { get; init; }
    public byte[]? AnswerShare { get; set; }
    public byte[]? AnswerConfirmation { get; set; }
    public byte[]? AnswerRandom { get; set; }
    public byte[]? ConfirmConfirmation { get; set; }
    public byte[]? ConfirmRandom { get; set; }
    public required DateTimeOffset RequestedAt { get; init; }
    public string? Failure { get; set; }
    /// <summary>Whose failed guess this was, for the rate limit.</summary>
    public string? BlamedUserId { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>The slot this code session had, kept after the slot is freed so the code can be shown.</summary>
    public int? CodeSlot { get; init; }
}

/// <summary>One encrypted frame relayed between the two parties of a connected session.</summary>
public sealed class PakeFrame
{
    public required string SessionId { get; init; }
    public required long Seq { get; init; }
    public required string SenderId { get; init; }
    public required byte[] Frame { get; init; }
    public required DateTimeOffset SentAt { get; init; }
}
