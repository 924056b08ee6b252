using Parley.Core.Passphrase;

namespace Parley.Core.Tests.Passphrase;

public sealed class Spake2VectorTests
{
    [Fact]
    public void The_file_holds_the_four_vectors_of_the_rfc() => Assert.Equal(4, Rfc9382Vectors.Count);

    [Fact]
    public void M_and_N_are_the_points_of_the_rfc()
    {
        Assert.Equal(Rfc9382Vectors.Root("M"), Convert.ToHexStringLower(Spake2Suite.M.GetEncoded(compressed: true)));
        Assert.Equal(Rfc9382Vectors.Root("N"), Convert.ToHexStringLower(Spake2Suite.N.GetEncoded(compressed: true)));
    }

    [Theory]
    [MemberData(nameof(Rfc9382Vectors.Indexes), MemberType = typeof(Rfc9382Vectors))]
    public void Both_parties_reproduce_every_value_of_the_vector(int v)
    {
        var secret = PassphraseSecret.FromScalar(Rfc9382Vectors.Bytes(v, "w"), Rfc9382Vectors.Text(v, "idA"), Rfc9382Vectors.Text(v, "idB"));
        var a = Spake2.Start(Spake2Role.A, secret, Rfc9382Vectors.Bytes(v, "x"));
        var b = Spake2.Start(Spake2Role.B, secret, Rfc9382Vectors.Bytes(v, "y"));

        Assert.Equal(Rfc9382Vectors.Bytes(v, "pA"), a.Share.ToArray());
        Assert.Equal(Rfc9382Vectors.Bytes(v, "pB"), b.Share.ToArray());

        var confirmationA = a.Finish(b.Share);
        var confirmationB = b.Finish(a.Share);
        foreach (var schedule in new[] { confirmationA.Schedule, confirmationB.Schedule })
        {
            Assert.Equal(Rfc9382Vectors.Bytes(v, "K"), schedule.SharedPoint.ToArray());
            Assert.Equal(Rfc9382Vectors.Bytes(v, "Ke"), schedule.Ke.ToArray());
            Assert.Equal(Rfc9382Vectors.Bytes(v, "Ka"), schedule.Ka.ToArray());
            Assert.Equal(Rfc9382Vectors.Bytes(v, "KcA"), schedule.KcA.ToArray());
            Assert.Equal(Rfc9382Vectors.Bytes(v, "KcB"), schedule.KcB.ToArray());
        }
        Assert.Equal(Rfc9382Vectors.Bytes(v, "confA"), confirmationA.OwnConfirmation.ToArray());
        Assert.Equal(Rfc9382Vectors.Bytes(v, "confB"), confirmationB.OwnConfirmation.ToArray());

        var keyA = confirmationA.VerifyPeer(confirmationB.OwnConfirmation);
        var keyB = confirmationB.VerifyPeer(confirmationA.OwnConfirmation);
        Assert.Equal(Rfc9382Vectors.Bytes(v, "Ke"), keyA.Bytes.ToArray());
        Assert.Equal(Rfc9382Vectors.Bytes(v, "Ke"), keyB.Bytes.ToArray());
    }

    [Fact]
    public void The_transcript_is_laid_out_as_in_the_rfc()
    {
        // RFC 9382 Appendix B, first vector: TT with each field prefixed by its length (8 bytes LE),
        // in the order idA, idB, pA, pB, K, w.
        const string expected =
            "0600000000000000" + "736572766572" +
            "0600000000000000" + "636c69656e74" +
            "4100000000000000" + "04a56fa807caaa53a4d28dbb9853b9815c61a411118a6fe516a8798434751470f9010153ac33d0d5f2047ffdb1a3e42c9b4e6be662766e1eeb4116988ede5f912c" +
            "4100000000000000" + "0406557e482bd03097ad0cbaa5df82115460d951e3451962f1eaf4367a420676d09857ccbc522686c83d1852abfa8ed6e4a1155cf8f1543ceca528afb591a1e0b7" +
            "4100000000000000" + "0412af7e89717850671913e6b469ace67bd90a4df8ce45c2af19010175e37eed69f75897996d539356e2fa6a406d528501f907e04d97515fbe83db277b715d3325" +
            "2000000000000000" + "2ee57912099d31560b3a44b1184b9b4866e904c49d12ac5042c97dca461b1a5f";
        var secret = PassphraseSecret.FromScalar(Rfc9382Vectors.Bytes(0, "w"), "server", "client");
        var a = Spake2.Start(Spake2Role.A, secret, Rfc9382Vectors.Bytes(0, "x"));

        var confirmation = a.Finish(Rfc9382Vectors.Bytes(0, "pB"));

        Assert.Equal(expected, Convert.ToHexStringLower(confirmation.Schedule.Transcript));
    }
}
