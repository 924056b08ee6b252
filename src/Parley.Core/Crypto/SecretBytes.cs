using System.Security.Cryptography;

namespace Parley.Core.Crypto;

/// <summary>
/// Key material that owns its memory, as NSec's <c>Key</c> does: the bytes live in one array on the pinned object heap
/// (the garbage collector never moves it, so compaction leaves no stray copies), nobody else holds that array, and
/// <see cref="Dispose"/> zeroes it. Read through <see cref="Span"/>; after disposal every read throws.
/// </summary>
public sealed class SecretBytes : IDisposable
{
    private readonly byte[] _bytes;
    private bool _disposed;

    private SecretBytes(int length) => _bytes = GC.AllocateArray<byte>(length, pinned: true);

    /// <summary>A copy of <paramref name="source"/>; the caller remains responsible for clearing its own buffer.</summary>
    public static SecretBytes Copy(ReadOnlySpan<byte> source)
    {
        var secret = new SecretBytes(source.Length);
        source.CopyTo(secret._bytes);
        return secret;
    }

    /// <summary>Fresh random bytes from the platform's generator.</summary>
    public static SecretBytes Random(int length)
    {
        var secret = new SecretBytes(length);
        RandomNumberGenerator.Fill(secret._bytes);
        return secret;
    }

    /// <summary>Zeroed bytes for Parley's own derivations to write into through <see cref="Writable"/>.</summary>
    internal static SecretBytes Allocate(int length) => new(length);

    public int Length => _bytes.Length;

    public bool IsDisposed => _disposed;

    public ReadOnlySpan<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _bytes;
        }
    }

    internal Span<byte> Writable
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _bytes;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_bytes);
    }
}
