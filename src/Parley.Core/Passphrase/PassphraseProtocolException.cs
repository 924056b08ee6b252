namespace Parley.Core.Passphrase;

/// <summary>Why a step of a passphrase session was refused. Stable: callers map it to problem codes.</summary>
public enum PassphraseFailure
{
    /// <summary>The peer's share is not a P-256 point in SEC1 uncompressed form, or is unusable.</summary>
    MalformedShare,

    /// <summary>The peer's key confirmation does not match: the passphrases differ or the exchange was altered.</summary>
    ConfirmationMismatch,

    /// <summary>A channel frame is shorter than its counter and tag.</summary>
    FrameTooShort,

    /// <summary>A channel frame carries more than the channel's maximum plaintext length.</summary>
    FrameTooLarge,

    /// <summary>A channel frame's counter was already used: the frame is a replay.</summary>
    Replayed,

    /// <summary>A channel frame's counter is ahead of the next expected one: frames were reordered or dropped.</summary>
    OutOfOrder,

    /// <summary>A channel frame failed authentication: it was altered, or sealed under another key or direction.</summary>
    Tampered,
}

/// <summary>A message from the peer (or from whoever relays it) was refused; the reason is in <see cref="Failure"/>.</summary>
public sealed class PassphraseProtocolException(PassphraseFailure failure, string message) : Exception(message)
{
    public PassphraseFailure Failure { get; } = failure;
}
