using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Parley.Core.Crypto;

namespace Parley.Core.Views;

/// <summary>
/// The AES-256-GCM key of one play (docs/views.md, "Play key"). It seals and opens <see cref="SealedReport"/> envelopes
/// whose associated data is <c>parley-report-v1\n{playId}\n{counter}</c> (UTF-8), so a report cannot be moved to
/// another play or given another counter. Owns its bytes and zeroes them when disposed.
/// </summary>
public sealed class PlayKey : IDisposable
{
    public const int KeyLength = 32;

    private static ReadOnlySpan<byte> Info => "parley-play-key-v1"u8;

    private readonly SecretBytes _bytes;
    private readonly AesGcm _aes;

    private PlayKey(SecretBytes bytes)
    {
        _bytes = bytes;
        _aes = new AesGcm(bytes.Span, SealedReport.TagLength);
    }

    /// <summary>The key's bytes, for a server that keeps a play's key between requests (in its database).</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.Span;

    /// <summary>A key kept by <see cref="Bytes"/>; the caller still clears its own copy.</summary>
    public static PlayKey FromBytes(ReadOnlySpan<byte> key) =>
        key.Length == KeyLength ? new(SecretBytes.Copy(key)) : throw new ArgumentException($"A play key is {KeyLength} bytes.", nameof(key));

    internal static PlayKey Derive(ReadOnlySpan<byte> sharedSecret, PlayTranscript transcript)
    {
        Span<byte> salt = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(transcript.ToBytes(), salt);
        Span<byte> key = stackalloc byte[KeyLength];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, key, salt, Info);
            return new(SecretBytes.Copy(key));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Seals <paramref name="report"/> for <paramref name="playId"/> with a fresh random nonce.</summary>
    public byte[] Seal(string playId, in PlayReport report)
    {
        Span<byte> nonce = stackalloc byte[SealedReport.NonceLength];
        RandomNumberGenerator.Fill(nonce);
        return Seal(playId, report, nonce);
    }

    /// <summary>Seals with a chosen nonce: for test vectors only; a nonce must never repeat under one key.</summary>
    public byte[] Seal(string playId, in PlayReport report, ReadOnlySpan<byte> nonce)
    {
        if (Encoding.UTF8.GetByteCount(playId) > MaxPlayId) throw new ArgumentException($"A play id is at most {MaxPlayId} bytes.", nameof(playId));
        var envelope = new byte[SealedReport.Length];
        BinaryPrimitives.WriteUInt32BigEndian(envelope, report.Counter);
        nonce.CopyTo(envelope.AsSpan(SealedReport.NonceOffset, SealedReport.NonceLength));
        Span<byte> plain = stackalloc byte[PlayReport.Length];
        report.WriteTo(plain);
        Span<byte> associated = stackalloc byte[MaxAssociatedData];
        _aes.Encrypt(nonce, plain, envelope.AsSpan(SealedReport.CiphertextOffset, PlayReport.Length),
            envelope.AsSpan(SealedReport.TagOffset, SealedReport.TagLength), AssociatedData(playId, report.Counter, associated));
        return envelope;
    }

    /// <summary>
    /// Opens an envelope of <paramref name="playId"/>: false when it is not <see cref="SealedReport.Length"/> bytes, does
    /// not authenticate under this key and play, or carries another counter inside than outside.
    /// </summary>
    public bool TryOpen(string playId, ReadOnlySpan<byte> envelope, out PlayReport report)
    {
        report = default;
        if (envelope.Length != SealedReport.Length || Encoding.UTF8.GetByteCount(playId) > MaxPlayId) return false;
        var counter = BinaryPrimitives.ReadUInt32BigEndian(envelope);
        Span<byte> plain = stackalloc byte[PlayReport.Length];
        Span<byte> associated = stackalloc byte[MaxAssociatedData];
        try
        {
            _aes.Decrypt(envelope.Slice(SealedReport.NonceOffset, SealedReport.NonceLength),
                envelope.Slice(SealedReport.CiphertextOffset, PlayReport.Length),
                envelope.Slice(SealedReport.TagOffset, SealedReport.TagLength), plain, AssociatedData(playId, counter, associated));
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
        return PlayReport.TryRead(plain, out report) && report.Counter == counter;
    }

    private static ReadOnlySpan<byte> Label => "parley-report-v1\n"u8;

    // Play ids are short (p_ and base64url); the bound keeps the associated data on the stack, since the server builds
    // it for every report.
    private const int MaxPlayId = 256;
    private const int MaxAssociatedData = 17 + MaxPlayId + 1 + 10;

    /// <summary><c>parley-report-v1\n{playId}\n{counter}</c> in UTF-8, written into <paramref name="buffer"/>.</summary>
    private static ReadOnlySpan<byte> AssociatedData(string playId, uint counter, Span<byte> buffer)
    {
        Label.CopyTo(buffer);
        var length = Label.Length + Encoding.UTF8.GetBytes(playId, buffer[Label.Length..]);
        buffer[length++] = (byte)'\n';
        counter.TryFormat(buffer[length..], out var digits, provider: System.Globalization.CultureInfo.InvariantCulture);
        return buffer[..(length + digits)];
    }

    public void Dispose()
    {
        _aes.Dispose();
        _bytes.Dispose();
    }
}

/// <summary>
/// The sealed report's envelope, 58 bytes: counter (u32 BE, 4) ‖ nonce (12) ‖ AES-256-GCM ciphertext of the
/// <see cref="PlayReport"/> (26) ‖ tag (16). The counter travels outside too because it is part of the associated data.
/// </summary>
public static class SealedReport
{
    public const int NonceOffset = 4;
    public const int NonceLength = 12;
    public const int CiphertextOffset = NonceOffset + NonceLength;
    public const int TagOffset = CiphertextOffset + PlayReport.Length;
    public const int TagLength = 16;
    public const int Length = TagOffset + TagLength;
}
