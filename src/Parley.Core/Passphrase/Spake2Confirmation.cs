using System.Security.Cryptography;

namespace Parley.Core.Passphrase;

/// <summary>
/// A finished SPAKE2 exchange whose key is not yet trusted: send <see cref="OwnConfirmation"/> to
/// the peer and check the peer's with <see cref="VerifyPeer"/>. Only a matching confirmation
/// releases the key, so a wrong passphrase is detected on both sides before any message is sent.
/// The key schedule is zeroed once the peer's confirmation is checked, or on <see cref="Dispose"/>.
/// </summary>
public sealed class Spake2Confirmation : IDisposable
{
    public const int ConfirmationLength = HMACSHA256.HashSizeInBytes;

    private bool _verified;

    internal Spake2Confirmation(Spake2Role role, Spake2KeySchedule schedule)
    {
        Role = role;
        Schedule = schedule;
    }

    public Spake2Role Role { get; }

    /// <summary>This side's key confirmation (confA for A, confB for B): 32 bytes to send to the peer.</summary>
    public ReadOnlySpan<byte> OwnConfirmation => Role == Spake2Role.A ? Schedule.ConfirmationA : Schedule.ConfirmationB;

    internal Spake2KeySchedule Schedule { get; }

    /// <summary>
    /// Compares the peer's confirmation in constant time. On a match returns the confirmed key;
    /// otherwise throws <see cref="PassphraseProtocolException"/> (<see cref="PassphraseFailure.ConfirmationMismatch"/>).
    /// Single-use: a failed check is the exchange's one guess, not something to retry.
    /// </summary>
    public Spake2Key VerifyPeer(ReadOnlySpan<byte> peerConfirmation)
    {
        if (_verified) throw new InvalidOperationException("The peer's confirmation was already checked; start a new exchange.");
        _verified = true;

        try
        {
            var expected = Role == Spake2Role.A ? Schedule.ConfirmationB : Schedule.ConfirmationA;
            if (!CryptographicOperations.FixedTimeEquals(expected, peerConfirmation))
            {
                throw new PassphraseProtocolException(PassphraseFailure.ConfirmationMismatch,
                    "The peer's key confirmation does not match: the passphrases differ or the exchange was altered.");
            }
            return new Spake2Key(Role, Schedule.Ke);
        }
        finally
        {
            Schedule.Dispose();
        }
    }

    /// <summary>Zeroes the key schedule; <see cref="OwnConfirmation"/> stays readable, since it is sent in the clear.</summary>
    public void Dispose() => Schedule.Dispose();
}
