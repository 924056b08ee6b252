using System.Security.Cryptography;
using Parley.Client.Passphrase;
using Parley.Core.Passphrase;

namespace Parley.Client.Tests.Passphrase;

/// <summary>The chunked file cipher alone: round trips at the chunk boundaries, and every way of cutting or altering a file refused.</summary>
public sealed class PassphraseFileCipherTests
{
    private const int Chunk = PassphraseFileCipher.ChunkLength;
    private const int Sealed = Chunk + PassphraseFileCipher.TagLength;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Chunk - 1)]
    [InlineData(Chunk)]
    [InlineData(Chunk + 1)]
    [InlineData(3 * Chunk)]
    public async Task Files_of_any_size_round_trip(int size)
    {
        var content = RandomNumberGenerator.GetBytes(size);
        var key = PassphraseFileCipher.CreateKey();

        var ciphertext = await EncryptAsync(content, key);

        Assert.Equal(PassphraseFileCipher.CiphertextLength(size), ciphertext.Length);
        Assert.Equal(content, await DecryptAsync(ciphertext, key));
    }

    [Fact]
    public async Task A_file_cut_between_chunks_is_refused()
    {
        var key = PassphraseFileCipher.CreateKey();
        var ciphertext = await EncryptAsync(RandomNumberGenerator.GetBytes(2 * Chunk + 10), key);

        // Only whole chunks remain: each authenticates, but none of them is marked final.
        await AssertRefusedAsync(ciphertext[..(2 * Sealed)], key);
        await AssertRefusedAsync(ciphertext[..Sealed], key);
    }

    [Fact]
    public async Task A_file_cut_inside_a_chunk_is_refused()
    {
        var key = PassphraseFileCipher.CreateKey();
        var ciphertext = await EncryptAsync(RandomNumberGenerator.GetBytes(2 * Chunk), key);

        await AssertRefusedAsync(ciphertext[..(Sealed + 100)], key);
    }

    [Fact]
    public async Task Altered_swapped_or_foreign_chunks_are_refused()
    {
        var key = PassphraseFileCipher.CreateKey();
        var ciphertext = await EncryptAsync(RandomNumberGenerator.GetBytes(2 * Chunk + 10), key);

        var altered = ciphertext.ToArray();
        altered[Sealed + 5] ^= 1;
        await AssertRefusedAsync(altered, key);

        byte[] swapped = [.. ciphertext[Sealed..(2 * Sealed)], .. ciphertext[..Sealed], .. ciphertext[(2 * Sealed)..]];
        await AssertRefusedAsync(swapped, key);

        await AssertRefusedAsync(ciphertext, PassphraseFileCipher.CreateKey());
    }

    private static async Task<byte[]> EncryptAsync(byte[] content, byte[] key)
    {
        using var ciphertext = new MemoryStream();
        Assert.Equal(content.Length, await PassphraseFileCipher.EncryptAsync(new MemoryStream(content), ciphertext, key));
        return ciphertext.ToArray();
    }

    private static async Task<byte[]> DecryptAsync(byte[] ciphertext, byte[] key)
    {
        using var plaintext = new MemoryStream();
        await PassphraseFileCipher.DecryptAsync(new MemoryStream(ciphertext), plaintext, key);
        return plaintext.ToArray();
    }

    private static async Task AssertRefusedAsync(byte[] ciphertext, byte[] key)
    {
        var refusal = await Assert.ThrowsAsync<PassphraseProtocolException>(() => DecryptAsync(ciphertext, key));
        Assert.Equal(PassphraseFailure.Tampered, refusal.Failure);
    }
}
