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
    /// <summary>
    /// Who pays for this session's guess in the failure budget (docs/passphrase.md, "Abuse limits"):
    /// set when the guess is placed, moved to a party who aborts, cleared when the session connects.
    /// </summary>
    public string? BlamedUserId { get; set; }
    /// <summary>When <see cref="BlamedUserId"/> was charged: the charge counts for one failure window from then.</summary>
    public DateTimeOffset? BlamedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>The slot this code session had, kept after the slot is freed so the code can be shown.</summary>
    public int? CodeSlot { get; init; }
}

/// <summary>
/// One claim of a code slot, kept for the claim rate and, when it found no claimable session
/// (<see cref="Missed"/>), as a charge in the claimant's failure budget.
/// </summary>
public sealed class PakeClaim
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required int Slot { get; init; }
    public required DateTimeOffset ClaimedAt { get; init; }
    public bool Missed { get; set; }
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
