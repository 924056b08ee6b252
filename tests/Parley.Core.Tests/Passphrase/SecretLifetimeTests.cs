using Parley.Core.Passphrase;

namespace Parley.Core.Tests.Passphrase;

/// <summary>Each secret of the exchange (w, the key schedule, Ke) is zeroed as soon as the protocol is done with it.</summary>
public sealed class SecretLifetimeTests
{
    private static readonly byte[] W = Rfc9382Vectors.Bytes(0, "w");

    private static PassphraseSecret Secret() => PassphraseSecret.FromScalar(W, "alice", "bob");

    private static bool IsZero(ReadOnlySpan<byte> bytes) => bytes.IndexOfAnyExcept((byte)0) < 0;

    [Fact]
    public void Disposing_a_passphrase_secret_zeroes_w()
    {
        var secret = Secret();
        var w = secret.Encoded;

        secret.Dispose();

        Assert.True(IsZero(w));
        Assert.Throws<ObjectDisposedException>(() => secret.Encoded.Length);
    }

    [Fact]
    public void A_party_keeps_its_own_w_so_the_callers_secret_can_go_at_once()
    {
        Spake2 a, b;
        using (var secret = Secret())
        {
            a = Spake2.Start(Spake2Role.A, secret);
            b = Spake2.Start(Spake2Role.B, secret);
        }

        using var confirmationA = a.Finish(b.Share);
        using var confirmationB = b.Finish(a.Share);

        using var key = confirmationA.VerifyPeer(confirmationB.OwnConfirmation);
        Assert.Equal(Spake2Key.Length, key.Bytes.Length);
    }

    [Fact]
    public void A_party_disposed_before_it_finished_cannot_finish()
    {
        using var secret = Secret();
        var a = Spake2.Start(Spake2Role.A, secret);
        var b = Spake2.Start(Spake2Role.B, secret);

        a.Dispose();

        Assert.Throws<ObjectDisposedException>(() => a.Finish(b.Share));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Checking_the_peers_confirmation_zeroes_the_key_schedule_whatever_the_outcome(bool genuine)
    {
        using var secret = Secret();
        var a = Spake2.Start(Spake2Role.A, secret);
        var b = Spake2.Start(Spake2Role.B, secret);
        var confirmationA = a.Finish(b.Share);
        var confirmationB = b.Finish(a.Share);
        var schedule = confirmationA.Schedule;
        var transcript = schedule.Transcript;
        var sharedPoint = schedule.SharedPoint;
        var ke = schedule.Ke;
        var ka = schedule.Ka;
        var kcA = schedule.KcA;
        var kcB = schedule.KcB;
        var own = confirmationA.OwnConfirmation.ToArray();

        if (genuine) confirmationA.VerifyPeer(confirmationB.OwnConfirmation).Dispose();
        else Assert.Throws<PassphraseProtocolException>(() => confirmationA.VerifyPeer(new byte[Spake2Confirmation.ConfirmationLength]));

        Assert.True(IsZero(transcript) && IsZero(sharedPoint) && IsZero(ke) && IsZero(ka) && IsZero(kcA) && IsZero(kcB));
        // The confirmation itself travels in the clear and is still needed after the check (A sends it last).
        Assert.Equal(own, confirmationA.OwnConfirmation.ToArray());
    }

    [Fact]
    public void A_confirmed_key_is_zeroed_once_it_opened_its_channel_or_when_disposed()
    {
        using var secret = Secret();
        var a = Spake2.Start(Spake2Role.A, secret);
        var b = Spake2.Start(Spake2Role.B, secret);
        var confirmationA = a.Finish(b.Share);
        var confirmationB = b.Finish(a.Share);
        var keyA = confirmationA.VerifyPeer(confirmationB.OwnConfirmation);
        var keyB = confirmationB.VerifyPeer(confirmationA.OwnConfirmation);
        var keA = keyA.Bytes;
        var keB = keyB.Bytes;

        keyA.CreateChannel(SessionKeys.CreateRandom(), SessionKeys.CreateRandom(), "s"u8).Dispose();
        keyB.Dispose();

        Assert.True(IsZero(keA));
        Assert.True(IsZero(keB));
        Assert.Throws<ObjectDisposedException>(() => keyB.CreateChannel(SessionKeys.CreateRandom(), SessionKeys.CreateRandom(), "s"u8));
    }
}
