using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Parley.Core.Transfer;

/// <summary>
/// What a blob is called everywhere: <c>sha256:&lt;64 lower-case hex digits&gt;</c> of its bytes.
/// A value type over the 32 digest bytes, so an id that parsed is always well formed.
/// </summary>
public readonly struct ContentId : IEquatable<ContentId>
{
    public const string Prefix = "sha256:";
    public const int DigestLength = 32;

    private readonly byte[]? _digest;

    private ContentId(byte[] digest) => _digest = digest;

    public ReadOnlySpan<byte> Digest => _digest ?? throw new InvalidOperationException("Default ContentId.");

    public static ContentId FromDigest(ReadOnlySpan<byte> digest) =>
        digest.Length == DigestLength ? new ContentId(digest.ToArray()) : throw new ArgumentException("A SHA-256 digest is 32 bytes.", nameof(digest));

    public static ContentId Of(ReadOnlySpan<byte> content) => new(SHA256.HashData(content));

    /// <summary>The id of content held in two pieces, <paramref name="first"/> then <paramref name="second"/>.</summary>
    public static ContentId Of(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(first);
        hash.AppendData(second);
        return new(hash.GetHashAndReset());
    }

    public static bool TryParse([NotNullWhen(true)] string? text, out ContentId id)
    {
        id = default;
        if (text is null || text.Length != Prefix.Length + 2 * DigestLength || !text.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var hex = text.AsSpan(Prefix.Length);
        foreach (var c in hex)
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        id = new ContentId(Convert.FromHexString(hex));
        return true;
    }

    public static ContentId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"Not a content id (sha256:<64 lower-case hex>): '{text}'.");

    /// <summary>The hex digits alone, e.g. for file names in the blob store.</summary>
    public string Hex => Convert.ToHexStringLower(Digest);

    public override string ToString() => Prefix + Hex;

    public bool Equals(ContentId other) => Digest.SequenceEqual(other.Digest);
    public override bool Equals(object? obj) => obj is ContentId other && Equals(other);
    public override int GetHashCode() => BitConverter.ToInt32(Digest);
    public static bool operator ==(ContentId a, ContentId b) => a.Equals(b);
    public static bool operator !=(ContentId a, ContentId b) => !a.Equals(b);
}
