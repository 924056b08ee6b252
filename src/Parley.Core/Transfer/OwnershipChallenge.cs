using System.Security.Cryptography;

namespace Parley.Core.Transfer;

public sealed record ByteRange(long Offset, int Length);

/// <summary>
/// Proof of ownership: knowing a content id must not be enough to have the server hand over (or
/// deliver in your name) a blob it already holds. The server names random byte ranges and a fresh
/// nonce; the answer is HMAC-SHA256(key = nonce, message = the bytes of the ranges in order), which
/// only someone holding those bytes can compute. The nonce makes every answer single-use.
/// </summary>
public sealed record OwnershipChallenge(byte[] Nonce, IReadOnlyList<ByteRange> Ranges)
{
    public const int NonceLength = 32;
    public const int RangeCount = 4;
    public const int RangeLength = 64 * 1024;

    public static OwnershipChallenge Create(long size)
    {
        var ranges = new List<ByteRange>(RangeCount);
        var length = (int)Math.Min(RangeLength, size);
        for (var i = 0; i < RangeCount && length > 0; i++)
            ranges.Add(new ByteRange(RandomOffset(size - length + 1), length));
        return new OwnershipChallenge(RandomNumberGenerator.GetBytes(NonceLength), ranges);
    }

    /// <summary>
    /// A challenge whose ranges all fall inside <paramref name="regions"/>: for a partial transfer,
    /// the server can only check the bytes it already holds, and those are exactly what must be proven.
    /// </summary>
    public static OwnershipChallenge CreateWithin(IReadOnlyList<ByteRange> regions)
    {
        var usable = regions.Where(r => r.Length > 0).ToList();
        var ranges = new List<ByteRange>(RangeCount);
        for (var i = 0; i < RangeCount && usable.Count > 0; i++)
        {
            var region = usable[(int)RandomOffset(usable.Count)];
            var length = Math.Min(RangeLength, region.Length);
            ranges.Add(new ByteRange(region.Offset + RandomOffset(region.Length - length + 1), length));
        }
        return new OwnershipChallenge(RandomNumberGenerator.GetBytes(NonceLength), ranges);
    }

    private static long RandomOffset(long exclusiveMax)
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return (long)(BitConverter.ToUInt64(bytes) % (ulong)exclusiveMax);
    }

    /// <summary>Computes the answer from seekable content (the client's file, or the server's blob).</summary>
    public async Task<byte[]> AnswerAsync(Stream content, CancellationToken ct = default)
    {
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Nonce);
        var buffer = new byte[RangeLength];
        foreach (var range in Ranges)
        {
            if (range.Length is < 0 or > RangeLength || range.Offset < 0 || range.Offset + range.Length > content.Length)
                throw new ArgumentOutOfRangeException(nameof(content), "The challenge names bytes outside the content.");
            content.Seek(range.Offset, SeekOrigin.Begin);
            await content.ReadExactlyAsync(buffer.AsMemory(0, range.Length), ct);
            mac.AppendData(buffer, 0, range.Length);
        }
        return mac.GetHashAndReset();
    }

    public static bool Matches(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> presented) =>
        CryptographicOperations.FixedTimeEquals(expected, presented);
}
