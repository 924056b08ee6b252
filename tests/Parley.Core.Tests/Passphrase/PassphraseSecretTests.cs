using Parley.Core.Passphrase;

namespace Parley.Core.Tests.Passphrase;

public sealed class PassphraseSecretTests
{
    [Fact]
    public void The_salt_binds_a_label_and_both_identities_with_length_prefixes() =>
        Assert.Equal(
            "parley/passphrase/spake2-w/v1"u8.ToArray().Concat(Convert.FromHexString("0500000000000000")).Concat("alice"u8.ToArray())
                .Concat(Convert.FromHexString("0300000000000000")).Concat("bob"u8.ToArray()),
            PassphraseSecret.Salt("alice", "bob"));

    [Fact]
    public void W_is_the_scrypt_output_reduced_mod_the_order()
    {
        // Computed independently with Python's hashlib.scrypt (OpenSSL): N = 2^15, r = 8, p = 1,
        // 48 bytes over the salt above, as a big-endian integer mod the P-256 order.
        var secret = PassphraseSecret.Derive("crossover-clockwork", "alice", "bob");

        Assert.Equal("d98d2a7f4768ca6578f647b12ea3e3209a42d0a13b74f072423230d19cfd1c06", Convert.ToHexStringLower(secret.Encoded));
        Assert.True(secret.Scalar.CompareTo(Spake2Suite.Order) < 0);
        Assert.Equal(("alice", "bob"), (secret.IdentityA, secret.IdentityB));
    }

    [Fact]
    public void W_depends_on_which_identity_is_which()
    {
        var swapped = PassphraseSecret.Derive("crossover-clockwork", "bob", "alice");

        Assert.NotEqual("d98d2a7f4768ca6578f647b12ea3e3209a42d0a13b74f072423230d19cfd1c06", Convert.ToHexStringLower(swapped.Encoded));
        Assert.True(swapped.Scalar.CompareTo(Spake2Suite.Order) < 0);
    }

    [Fact]
    public void An_empty_passphrase_is_refused() =>
        Assert.Throws<ArgumentException>(() => PassphraseSecret.Derive("", "alice", "bob"));
}
