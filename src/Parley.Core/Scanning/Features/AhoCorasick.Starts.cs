using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Parley.Core.Scanning.Features;

/// <summary>
/// Many keys (a large feature library) leave the root on nearly every byte, so the automaton's one dependent load per
/// byte sets the pace. When every key has at least four bytes, a piece is scanned by where keys could <em>start</em>
/// instead: a bit per hash of each key's first four bytes, tested at every position with no dependency between
/// positions, and a walk down the trie from the rare positions that pass, reporting the keys that start there. The
/// automaton still runs over a piece's first and last <c>longest - 1</c> bytes, to finish keys begun in the previous
/// piece and to carry the ones the next piece finishes, so that the keys reported are exactly its own.
/// </summary>
public sealed partial class AhoCorasick
{
    private const uint HashMultiplier = 2654435761u;

    // Keys ending at a state (without those of its failure targets): the keys that start where a walk down the trie began.
    private readonly int[][] _ownOutputs;
    private readonly ulong[]? _starts;
    private readonly int _startShift;
    private readonly int _longest;

    private static (ulong[]? Starts, int Shift, int Longest) BuildStarts(IReadOnlyList<byte[]> keys)
    {
        if (keys.Count == 0 || keys.Any(k => k.Length < 4)) return (null, 0, 0);
        // About 128 bits per key (bounded at 512 KiB): a random position passes for under 1 % of positions.
        var log2 = Math.Clamp(BitOperations.Log2((uint)keys.Count * 128 - 1) + 1, 15, 22);
        var starts = new ulong[(1 << log2) / 64];
        foreach (var key in keys)
        {
            var hash = StartHash(ref MemoryMarshal.GetArrayDataReference(key), 32 - log2);
            starts[hash >> 6] |= 1UL << (int)hash;
        }
        return (starts, 32 - log2, keys.Max(k => k.Length));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint StartHash(ref byte at, int shift) => Unsafe.ReadUnaligned<uint>(ref at) * HashMultiplier >> shift;

    private void FeedFiltered(ref int state, ReadOnlySpan<byte> data, long offset, List<(int Key, long End)> hits)
    {
        var edge = _longest - 1;
        // The automaton finishes what the previous piece began (and reports every key ending in the first bytes).
        Run(ref state, data[..edge], offset, hits);
        // Starts before `tail` are walked to their end within the piece; their keys ending past `edge` are new.
        var tail = data.Length - edge;
        ref var bytes = ref MemoryMarshal.GetReference(data);
        ref var bits = ref MemoryMarshal.GetArrayDataReference(_starts!);
        for (var i = 0; i < tail; i++)
        {
            // In bounds: i + 4 <= tail + 3 <= data.Length, since every key (so edge + 1) is at least 4 long.
            var hash = StartHash(ref Unsafe.Add(ref bytes, i), _startShift);
            if ((Unsafe.Add(ref bits, (int)(hash >> 6)) & 1UL << (int)hash) != 0) Walk(data, i, edge, offset, hits);
        }
        // The last bytes from the root: keys starting there end here or in the next piece, which the state carries to.
        state = 0;
        Run(ref state, data[tail..], offset + tail, hits);
    }

    /// <summary>Reports every key that starts at <paramref name="start"/> and ends after <paramref name="after"/>.</summary>
    private void Walk(ReadOnlySpan<byte> data, int start, int after, long offset, List<(int Key, long End)> hits)
    {
        // The root's dense row is its goto (its failure is itself): no search for the first byte.
        var state = _dense[data[start]] & ~EmitsFlag;
        if (state == 0) return;
        if (start + 1 > after) foreach (var key in _ownOutputs[state]) hits.Add((key, offset + start + 1));
        for (var at = start + 1; at < data.Length; at++)
        {
            var next = Array.BinarySearch(_labels[state], data[at]);
            if (next < 0) return;
            state = _targets[state][next];
            if (at + 1 > after) foreach (var key in _ownOutputs[state]) hits.Add((key, offset + at + 1));
        }
    }
}
