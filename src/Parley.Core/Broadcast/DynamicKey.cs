using System.Security.Cryptography;
using Parley.Core.Crypto;

namespace Parley.Core.Broadcast;

/// <summary>
/// A dynamic key (SPEC §2 step 3): AES-256-GCM, rotated on a schedule, named by its id. It owns a copy of its
/// 32 bytes, zeroed on <see cref="Dispose"/>, and offers the sealing and opening tickets need instead of the bytes.
/// </summary>
public sealed class DynamicKey : IDisposable
{
    public const int KeyLength = 32;
    public const int NonceLength = 12;
    public const int TagLength = 16;

    private readonly SecretBytes _key;

    /// <param name="key">Copied: the caller clears its own buffer when it likes.</param>
    public DynamicKey(uint id, ReadOnlySpan<byte> key, DateTimeOffset createdAt)
    {
        if (key.Length != KeyLength) throw new ArgumentException($"A dynamic key is {KeyLength} bytes.", nameof(key));
        Id = id;
        CreatedAt = createdAt;
        _key = SecretBytes.Copy(key);
    }

    public uint Id { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>AES-GCM with a fresh instance per call: one instance is not safe to share between concurrent requests.</summary>
    internal void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        using var aes = new AesGcm(_key.Span, TagLength);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
    }

    /// <summary>False when the tag does not match, or when the key was retired meanwhile: no ticket it sealed is still valid then.</summary>
    internal bool TryOpen(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        if (_key.IsDisposed) return false;
        try
        {
            using var aes = new AesGcm(_key.Span, TagLength);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public void Dispose() => _key.Dispose();
}
