using System.Security.Cryptography;
using Parley.Core.Passphrase;

namespace Parley.Core.Tests.Passphrase;

public sealed class Spake2ExchangeTests
{
    /// <summary>A w drawn at random, standing in for a derived one where scrypt's cost adds nothing.</summary>
    private static PassphraseSecret RandomSecret(string identityA = "alice", string identityB = "bob")
    {
        var w = Spake2Suite.EncodeScalar(new Org.BouncyCastle.Math.BigInteger(1, RandomNumberGenerator.GetBytes(48)).Mod(Spake2Suite.Order));
        return PassphraseSecret.FromScalar(w, identityA, identityB);
    }

    [Fact]
    public void The_same_passphrase_gives_both_sides_the_same_confirmed_key()
    {
        var a = Spake2.Start(Spake2Role.A, PassphraseSecret.Derive("crossover-clockwork", "alice", "bob"));
        var b = Spake2.Start(Spake2Role.B, PassphraseSecret.Derive("crossover-clockwork", "alice", "bob"));

        var confirmationB = b.Finish(a.Share);
        var confirmationA = a.Finish(b.Share);
        var keyA = confirmationA.VerifyPeer(confirmationB.OwnConfirmation);
        var keyB = confirmationB.VerifyPeer(confirmationA.OwnConfirmation);

        Assert.Equal(Spake2.ShareLength, a.Share.Length);
        Assert.Equal(Spake2Confirmation.ConfirmationLength, confirmationA.OwnConfirmation.Length);
        Assert.Equal(Spake2Key.Length, keyA.Bytes.Length);
        Assert.Equal(keyA.Bytes.ToArray(), keyB.Bytes.ToArray());
        Assert.Equal(Spake2Role.A, keyA.Role);
        Assert.Equal(Spake2Role.B, keyB.Role);
    }

    [Fact]
    public void A_wrong_passphrase_fails_the_confirmation_on_both_sides()
    {
        var a = Spake2.Start(Spake2Role.A, PassphraseSecret.Derive("crossover-clockwork", "alice", "bob"));
        var b = Spake2.Start(Spake2Role.B, PassphraseSecret.Derive("crossover-cobra", "alice", "bob"));

        var confirmationA = a.Finish(b.Share);
        var confirmationB = b.Finish(a.Share);

        var atA = Assert.Throws<PassphraseProtocolException>(() => confirmationA.VerifyPeer(confirmationB.OwnConfirmation));
        var atB = Assert.Throws<PassphraseProtocolException>(() => confirmationB.VerifyPeer(confirmationA.OwnConfirmation));
        Assert.Equal(PassphraseFailure.ConfirmationMismatch, atA.Failure);
        Assert.Equal(PassphraseFailure.ConfirmationMismatch, atB.Failure);
    }

    [Fact]
    public void Different_identities_fail_the_confirmation()
    {
        var w = RandomSecret();
        var a = Spake2.Start(Spake2Role.A, w);
        var b = Spake2.Start(Spake2Role.B, PassphraseSecret.FromScalar(w.Encoded, "alice", "mallory"));

        var confirmationA = a.Finish(b.Share);
        var confirmationB = b.Finish(a.Share);

        Assert.Throws<PassphraseProtocolException>(() => confirmationB.VerifyPeer(confirmationA.OwnConfirmation));
    }

    [Fact]
    public void Random_parties_send_fresh_shares()
    {
        var secret = RandomSecret();

        Assert.NotEqual(Spake2.Start(Spake2Role.A, secret).Share.ToArray(), Spake2.Start(Spake2Role.A, secret).Share.ToArray());
    }

    [Fact]
    public void An_altered_confirmation_is_refused()
    {
        var secret = RandomSecret();
        var a = Spake2.Start(Spake2Role.A, secret);
        var b = Spake2.Start(Spake2Role.B, secret);
        var confirmationA = a.Finish(b.Share);
        var confirmationB = b.Finish(a.Share);

        var altered = confirmationB.OwnConfirmation.ToArray();
        altered[5] ^= 0x01;

        Assert.Throws<PassphraseProtocolException>(() => confirmationA.VerifyPeer(altered));
        Assert.Throws<PassphraseProtocolException>(() => confirmationB.VerifyPeer(confirmationA.OwnConfirmation[..16]));
    }

    public static TheoryData<string, byte[]> MalformedShares()
    {
        var secret = RandomSecret();
        var genuine = Spake2.Start(Spake2Role.B, secret).Share.ToArray();
        var flipped = (byte[])genuine.Clone();
        flipped[40] ^= 0x01;
        var compressed = Spake2Suite.DecodeShare(genuine).GetEncoded(compressed: true);
        // (0, 0) is not on P-256 (its b is not 0), and the field prime itself is no coordinate.
        var offCurve = new byte[Spake2.ShareLength];
        offCurve[0] = 0x04;
        var outOfRange = Convert.FromHexString(
            "04" + "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff" + Convert.ToHexString(genuine, 33, 32));
        return new TheoryData<string, byte[]>
        {
            { "flipped byte", flipped },
            { "all-zero coordinates", offCurve },
            { "x equal to the field prime", outOfRange },
            { "infinity encoding", [0x00] },
            { "compressed encoding", compressed },
            { "empty", [] },
            { "one byte short", genuine[..^1] },
            { "one byte long", [.. genuine, 0x00] },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedShares))]
    public void Malformed_shares_are_refused(string what, byte[] share)
    {
        var party = Spake2.Start(Spake2Role.A, RandomSecret());

        var refused = Assert.Throws<PassphraseProtocolException>(() => party.Finish(share));

        Assert.True(refused.Failure == PassphraseFailure.MalformedShare, what);
    }

    [Fact]
    public void Random_bytes_in_the_shape_of_a_share_are_refused_cleanly()
    {
        var secret = RandomSecret();
        for (var i = 0; i < 100; i++)
        {
            var share = RandomNumberGenerator.GetBytes(Spake2.ShareLength);
            share[0] = 0x04;

            var refused = Assert.Throws<PassphraseProtocolException>(() => Spake2.Start(Spake2Role.B, secret).Finish(share));

            Assert.Equal(PassphraseFailure.MalformedShare, refused.Failure);
        }
    }

    [Fact]
    public void A_share_that_cancels_to_the_identity_is_refused()
    {
        // pB = w*N makes A's K = x*(pB - w*N) the identity.
        var secret = RandomSecret();
        var party = Spake2.Start(Spake2Role.A, secret);
        var share = Spake2Suite.EncodePoint(Spake2Suite.Multiply(Spake2Suite.N, secret.Scalar));

        var refused = Assert.Throws<PassphraseProtocolException>(() => party.Finish(share));

        Assert.Equal(PassphraseFailure.MalformedShare, refused.Failure);
    }

    [Fact]
    public void Each_step_runs_once()
    {
        var secret = RandomSecret();
        var a = Spake2.Start(Spake2Role.A, secret);
        var b = Spake2.Start(Spake2Role.B, secret);
        var confirmationA = a.Finish(b.Share);
        var confirmationB = b.Finish(a.Share);
        var key = confirmationA.VerifyPeer(confirmationB.OwnConfirmation);
        key.CreateChannel(SessionKeys.CreateRandom(), SessionKeys.CreateRandom(), "s"u8).Dispose();

        Assert.Throws<InvalidOperationException>(() => a.Finish(b.Share));
        Assert.Throws<InvalidOperationException>(() => confirmationA.VerifyPeer(confirmationB.OwnConfirmation));
        Assert.Throws<InvalidOperationException>(() => key.CreateChannel(SessionKeys.CreateRandom(), SessionKeys.CreateRandom(), "s"u8));
    }

    [Fact]
    public void A_refused_share_or_confirmation_uses_up_the_attempt()
    {
        var secret = RandomSecret();
        var a = Spake2.Start(Spake2Role.A, secret);
        var b = Spake2.Start(Spake2Role.B, secret);

        Assert.Throws<PassphraseProtocolException>(() => a.Finish([0x00]));
        Assert.Throws<InvalidOperationException>(() => a.Finish(b.Share));

        var confirmationB = b.Finish(Spake2.Start(Spake2Role.A, secret).Share);
        Assert.Throws<PassphraseProtocolException>(() => confirmationB.VerifyPeer(new byte[Spake2Confirmation.ConfirmationLength]));
        Assert.Throws<InvalidOperationException>(() => confirmationB.VerifyPeer(new byte[Spake2Confirmation.ConfirmationLength]));
    }

    [Fact]
    public void Scalars_outside_the_group_are_refused_for_test_parties()
    {
        var secret = RandomSecret();

        Assert.Throws<ArgumentException>(() => Spake2.Start(Spake2Role.A, secret, new byte[32]));
        Assert.Throws<ArgumentException>(() => Spake2.Start(Spake2Role.A, secret, Spake2Suite.EncodeScalar(Spake2Suite.Order)));
        Assert.Throws<ArgumentException>(() => PassphraseSecret.FromScalar(Spake2Suite.EncodeScalar(Spake2Suite.Order), "a", "b"));
    }
}
