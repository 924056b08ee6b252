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
    public static int NextCut(ReadOnlySpan<byte> data) => NextCut(data, []);

    /// <summary>
    /// The same cut for content held in two pieces (e.g. the end of one read buffer and the start of the next), without
    /// copying them together: the chunk starts at <paramref name="first"/>[0] and the content goes on in
    /// <paramref name="second"/>. Together they hold at least <see cref="MaxSize"/> bytes unless they reach the end of the content.
    /// </summary>
    public static int NextCut(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var n = (int)Math.Min((long)first.Length + second.Length, MaxSize);
        if (n <= MinSize) return n;
        ulong fingerprint = 0;
        var normal = Math.Min(n, AverageSize);
        var cut = Roll(first, second, MinSize, normal, MaskSmall, ref fingerprint);
        if (cut < 0) cut = Roll(first, second, normal, n, MaskLarge, ref fingerprint);
        return cut < 0 ? n : cut;
    }

    /// <summary>Positions <paramref name="from"/> to <paramref name="to"/> of the two pieces seen as one; the first position that cuts, or -1.</summary>
    private static int Roll(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, int from, int to, ulong mask, ref ulong fingerprint)
    {
        if (from < first.Length)
        {
            var cut = Roll(first[..Math.Min(to, first.Length)], from, mask, ref fingerprint);
            if (cut >= 0) return cut;
            from = first.Length;
        }
        if (from >= to) return -1;
        var cutInSecond = Roll(second[..(to - first.Length)], from - first.Length, mask, ref fingerprint);
        return cutInSecond < 0 ? -1 : first.Length + cutInSecond;
    }

    /// <summary>
    /// The gear hash over <paramref name="data"/> from <paramref name="start"/>: the first position whose fingerprint has
    /// no bit of <paramref name="mask"/> set, or -1 with <paramref name="fingerprint"/> carried on.
    /// </summary>
    /// <remarks>
    /// Hot path (every byte of every manifest passes here, ~1 cycle a byte): four positions per loop step with every
    /// fingerprint tested, indices that need no bounds checks or sign extension, the gear table read by reference, and
    /// the mask a parameter so that it stays in a register (not inlined: a constant mask is rebuilt on every byte).
    /// </remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Roll(ReadOnlySpan<byte> data, int start, ulong mask, ref ulong fingerprint)
    {
        ref var gear = ref MemoryMarshal.GetArrayDataReference(Gear);
        ref var bytes = ref MemoryMarshal.GetReference(data);
        var end = (nuint)data.Length;
        var fp = fingerprint;
        var i = (nuint)start;
        for (; i + 4 <= end; i += 4)
        {
            fp = fp * 2 + Unsafe.Add(ref gear, Unsafe.Add(ref bytes, i));
            if ((fp & mask) == 0) return (int)i;
            fp = fp * 2 + Unsafe.Add(ref gear, Unsafe.Add(ref bytes, i + 1));
            if ((fp & mask) == 0) return (int)i + 1;
            fp = fp * 2 + Unsafe.Add(ref gear, Unsafe.Add(ref bytes, i + 2));
            if ((fp & mask) == 0) return (int)i + 2;
            fp = fp * 2 + Unsafe.Add(ref gear, Unsafe.Add(ref bytes, i + 3));
            if ((fp & mask) == 0) return (int)i + 3;
        }
        for (; i < end; i++)
        {
            fp = fp * 2 + Unsafe.Add(ref gear, Unsafe.Add(ref bytes, i));
            if ((fp & mask) == 0) return (int)i;
        }
        fingerprint = fp;
        return -1;
    }
}
