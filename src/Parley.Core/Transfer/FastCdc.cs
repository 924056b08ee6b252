using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Parley.Core.Transfer;

/// <summary>
/// Content-defined chunking, FastCDC (Xia et al., USENIX ATC 2016) with normalized chunking:
/// cut points depend on the bytes around them, not on their offset, so an edit only changes the
/// chunks it touches and the rest of a slightly different file dedups against the stored one.
/// Client and server must cut identically: the parameters and the gear table are part of the
/// wire protocol (docs/transfer.md) and must never change for a given <see cref="Version"/>.
/// </summary>
public static class FastCdc
{
    public const int Version = 1;
    public const int MinSize = 256 * 1024;
    public const int AverageSize = 1024 * 1024;
    public const int MaxSize = 4 * 1024 * 1024;

    // Normalized chunking: below the average size a cut needs more zero bits (harder), above it fewer
    // (easier), which pulls chunk sizes towards the average. With the gear hash shifting left, the top
    // bits of the fingerprint depend on the most recent 64 bytes, so the masks take the top bits.
    private const int AverageBits = 20; // log2(AverageSize)
    private const ulong MaskSmall = ulong.MaxValue << (64 - (AverageBits + 2));
    private const ulong MaskLarge = ulong.MaxValue << (64 - (AverageBits - 2));

    /// <summary>256 pseudo-random 64-bit values: the first 8 bytes of SHA-256("parley-fastcdc-gear" || i).</summary>
    private static readonly ulong[] Gear = BuildGear();

    private static ulong[] BuildGear()
    {
        var gear = new ulong[256];
        Span<byte> input = stackalloc byte["parley-fastcdc-gear"u8.Length + 1];
        "parley-fastcdc-gear"u8.CopyTo(input);
        Span<byte> digest = stackalloc byte[32];
        for (var i = 0; i < 256; i++)
        {
            input[^1] = (byte)i;
            SHA256.HashData(input, digest);
            gear[i] = BinaryPrimitives.ReadUInt64BigEndian(digest);
        }
        return gear;
    }

    /// <summary>
    /// Length of the chunk that starts at <paramref name="data"/>[0]. <paramref name="data"/> holds at
    /// least <see cref="MaxSize"/> bytes unless it is the end of the content.
    /// </summary>
    public static int NextCut(ReadOnlySpan<byte> data)
    {
        var n = Math.Min(data.Length, MaxSize);
        if (n <= MinSize) return n;
        // Hot path (every byte of every upload passes here): loops bounded by the span's own length
        // let the JIT drop bounds checks, and the gear table is read by reference for the same reason.
        var normal = data[..Math.Min(n, AverageSize)];
        var window = data[..n];
        ref var gear = ref MemoryMarshal.GetArrayDataReference(Gear);
        ulong fingerprint = 0;
        var i = MinSize;
        for (; i < normal.Length; i++)
        {
            fingerprint = (fingerprint << 1) + Unsafe.Add(ref gear, normal[i]);
            if ((fingerprint & MaskSmall) == 0) return i;
        }
        for (; i < window.Length; i++)
        {
            fingerprint = (fingerprint << 1) + Unsafe.Add(ref gear, window[i]);
            if ((fingerprint & MaskLarge) == 0) return i;
        }
        return n;
    }
}
