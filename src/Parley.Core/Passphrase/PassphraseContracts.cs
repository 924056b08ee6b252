namespace Parley.Core.Passphrase;

/// <summary>Exactly one of <paramref name="To"/> (a user to prompt) and <paramref name="Code"/> (hold under a slot).</summary>
/// <param name="Share">Base64 of pA (65 bytes).</param>
public sealed record StartPakeRequest(string Share, string? To = null, bool Code = false);

/// <param name="Share">Base64 of pB (65 bytes).</param>
/// <param name="Confirmation">Base64 of B's key confirmation (32 bytes).</param>
/// <param name="Random">Base64 of B's 32 random bytes for the second key.</param>
public sealed record AnswerPakeRequest(string Share, string Confirmation, string Random);

public sealed record ConfirmPakeRequest(string Confirmation, string Random);

public sealed record PakeFrameRequest(string Frame);

public enum PakeState { Requested, Answered, Connected, Failed }

/// <summary>
/// The whole relayed state of a session, as both parties may see it: what the server forwards is
/// exactly what the other side sent, and the deadlines it enforces.
/// </summary>
public sealed record PakeSessionDto(
    string Id,
    PakeState State,
    string Initiator,
    string? Responder,
    int? Slot,
    string RequestShare,
    string? AnswerShare,
    string? AnswerConfirmation,
    string? AnswerRandom,
    string? ConfirmConfirmation,
    string? ConfirmRandom,
    DateTimeOffset RequestedAt,
    DateTimeOffset AnswerDeadline,
    DateTimeOffset ConfirmDeadline,
    string? Failure);

/// <param name="Frame">Base64 of a <see cref="SecureChannel"/> frame: the server cannot read it.</param>
public sealed record PakeFrameDto(string SessionId, long Seq, string Sender, string Frame, DateTimeOffset SentAt);

public sealed record PakeFramePage(IReadOnlyList<PakeFrameDto> Frames, bool HasMore);

/// <summary>Hub methods for passphrase sessions; each goes only to the session's two users.</summary>
public static class PakeEvents
{
    /// <summary>To the named responder: someone wants a passphrase session. Payload <see cref="PakeSessionDto"/>.</summary>
    public const string Request = "pakeRequest";
    /// <summary>To the initiator: B's share and confirmation. Payload <see cref="PakeSessionDto"/>.</summary>
    public const string Answer = "pakeAnswer";
    /// <summary>To both: the confirmation arrived within T2. Payload <see cref="PakeSessionDto"/> (B reads A's confirmation from it).</summary>
    public const string Connected = "pakeConnected";
    /// <summary>To both: the session ended without a connection. Payload <see cref="PakeSessionDto"/> with its failure code.</summary>
    public const string Failed = "pakeFailed";
    /// <summary>To the other party: one encrypted frame. Payload <see cref="PakeFrameDto"/>.</summary>
    public const string Message = "pakeMessage";
}

/// <summary>Sizes the relay checks, so a malformed share is refused before it reaches the peer.</summary>
public static class PakeRules
{
    public const int ConfirmationLength = 32;
    public const int MaxFrameLength = 32 * 1024;

    /// <summary>The identity B binds in code mode, where nobody is the responder yet when A derives w.</summary>
    public const string CodeIdentity = "code";

    /// <summary>
    /// The identities bound into w and the transcript. A named session binds both user names. A code
    /// session binds the initiator and the fixed label "code": the initiator sends its share with the
    /// request, before the server has picked a slot or anyone has claimed it (the server tells both
    /// sides who the other is; the slot is public and adds nothing secret).
    /// </summary>
    public static (string IdentityA, string IdentityB) Identities(string initiator, string? responder, bool codeMode) =>
        codeMode ? (initiator, CodeIdentity) : (initiator, responder ?? throw new ArgumentNullException(nameof(responder)));
}
