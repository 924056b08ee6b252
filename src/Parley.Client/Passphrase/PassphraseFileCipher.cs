using System.Buffers.Binary;
using System.Security.Cryptography;
using Parley.Core.Passphrase;

namespace Parley.Client.Passphrase;

/// <summary>
/// Encrypts a file sent in a passphrase session before it leaves the device: AES-256-GCM under a
/// fresh random key per file, in chunks of <see cref="ChunkLength"/> plaintext bytes, each sealed
/// as ciphertext || 16-byte tag. Nonce = 4 zero bytes || chunk index (8 bytes big-endian); the key is
/// never reused, so neither is a nonce. Associated data = "parley/passphrase/file/v1" || chunk index
/// (8 bytes big-endian) || final flag (1 byte). The final chunk is the first one shorter than
/// <see cref="ChunkLength"/> (empty when the size is a multiple of it) and only it carries the flag,
/// so chunks cannot be reordered or dropped, and a file cut at any point, even between chunks, is refused.
/// </summary>
public static class PassphraseFileCipher
{
    public const int KeyLength = 32;
    public const int ChunkLength = 64 * 1024;
    public const int TagLength = 16;

    private const int NonceLength = 12;
    private static ReadOnlySpan<byte> Label => "parley/passphrase/file/v1"u8;

    public static byte[] CreateKey() => RandomNumberGenerator.GetBytes(KeyLength);

    /// <summary>The size of the ciphertext of <paramref name="plaintextLength"/> bytes.</summary>
    public static long CiphertextLength(long plaintextLength) => plaintextLength + (plaintextLength / ChunkLength + 1) * TagLength;

    /// <summary>Encrypts <paramref name="plaintext"/> to its end; returns the plaintext length.</summary>
    public static async Task<long> EncryptAsync(Stream plaintext, Stream ciphertext, byte[] key, CancellationToken ct = default)
    {
        using var aes = new AesGcm(key, TagLength);
        var chunk = new byte[ChunkLength];
        var sealedChunk = new byte[ChunkLength + TagLength];
        long read = 0;
        for (ulong index = 0; ; index++)
        {
            var length = await plaintext.ReadAtLeastAsync(chunk, ChunkLength, throwOnEndOfStream: false, ct);
            var final = length < ChunkLength;
            Seal(aes, index, final, chunk.AsSpan(0, length), sealedChunk);
            await ciphertext.WriteAsync(sealedChunk.AsMemory(0, length + TagLength), ct);
            read += length;
            if (final) return read;
        }
    }

    /// <summary>
    /// Decrypts and authenticates chunk by chunk, writing each chunk's plaintext only after its tag
    /// checked; returns the plaintext length. Throws <see cref="PassphraseProtocolException"/>
    /// (<see cref="PassphraseFailure.Tampered"/>) for altered, reordered or missing chunks: what was
    /// written before that is authentic but incomplete, so write to a scratch file and keep it only on success.
    /// </summary>
    public static async Task<long> DecryptAsync(Stream ciphertext, Stream plaintext, byte[] key, CancellationToken ct = default)
    {
        using var aes = new AesGcm(key, TagLength);
        var sealedChunk = new byte[ChunkLength + TagLength];
        var chunk = new byte[ChunkLength];
        long written = 0;
        for (ulong index = 0; ; index++)
        {
            var read = await ciphertext.ReadAtLeastAsync(sealedChunk, sealedChunk.Length, throwOnEndOfStream: false, ct);
            if (read < TagLength)
                throw new PassphraseProtocolException(PassphraseFailure.Tampered, "The file ends early: its final chunk is missing.");
            // A short read means the stream ended, so a short chunk is the last one there is.
            var final = read < sealedChunk.Length;
            var length = Open(aes, index, final, sealedChunk.AsSpan(0, read), chunk);
            await plaintext.WriteAsync(chunk.AsMemory(0, length), ct);
            written += length;
            if (final) return written;
        }
    }

    private static void Seal(AesGcm aes, ulong index, bool final, ReadOnlySpan<byte> chunk, Span<byte> sealedChunk)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        Span<byte> associatedData = stackalloc byte[Label.Length + 9];
        Describe(index, final, nonce, associatedData);
        aes.Encrypt(nonce, chunk, sealedChunk[..chunk.Length], sealedChunk.Slice(chunk.Length, TagLength), associatedData);
    }

    private static int Open(AesGcm aes, ulong index, bool final, ReadOnlySpan<byte> sealedChunk, Span<byte> chunk)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        Span<byte> associatedData = stackalloc byte[Label.Length + 9];
        Describe(index, final, nonce, associatedData);
        var length = sealedChunk.Length - TagLength;
        try
        {
            aes.Decrypt(nonce, sealedChunk[..length], sealedChunk[length..], chunk[..length], associatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new PassphraseProtocolException(PassphraseFailure.Tampered,
                $"Chunk {index} of the file failed authentication: it was altered, moved, cut short, or sealed under another key.");
        }
        return length;
    }

    private static void Describe(ulong index, bool final, Span<byte> nonce, Span<byte> associatedData)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], index);
        Label.CopyTo(associatedData);
        BinaryPrimitives.WriteUInt64BigEndian(associatedData[Label.Length..], index);
        associatedData[^1] = final ? (byte)1 : (byte)0;
    }
}
