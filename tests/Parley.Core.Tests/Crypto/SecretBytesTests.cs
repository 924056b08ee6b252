using Parley.Core.Crypto;

namespace Parley.Core.Tests.Crypto;

public sealed class SecretBytesTests
{
    [Fact]
    public void A_copy_is_the_secrets_own_and_disposing_zeroes_it()
    {
        byte[] source = [1, 2, 3, 4];
        var secret = SecretBytes.Copy(source);
        source[0] = 9;
        var held = secret.Span;

        Assert.Equal([1, 2, 3, 4], held.ToArray());
        secret.Dispose();

        Assert.True(held.IndexOfAnyExcept((byte)0) < 0, "disposing should zero the bytes in place");
        Assert.True(secret.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => secret.Span.Length);
    }

    [Fact]
    public void Random_secrets_differ_and_have_the_asked_length()
    {
        using var first = SecretBytes.Random(32);
        using var second = SecretBytes.Random(32);

        Assert.Equal(32, first.Length);
        Assert.False(first.Span.SequenceEqual(second.Span));
    }
}
