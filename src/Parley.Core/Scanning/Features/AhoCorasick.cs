using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Parley.Core.Scanning.Features;

/// <summary>
/// Aho-Corasick over bytes: finds every occurrence of every key in one pass, whatever the number of keys.
/// The shallowest <see cref="DenseStates"/> states (where a scan spends nearly all its time) get full
/// 256-entry transition rows with failures already resolved, a plain DFA; deeper states keep sorted
/// transition arrays and failure links, so memory stays bounded whatever the keys' total length.
/// With <c>ignoreAsciiCase</c> keys and input are compared with A-Z folded to a-z (folded into the dense rows, so the
/// hot loop reads raw bytes). In the root state, where random or compressed bytes keep a scan most of the time, a
/// 64 Ki-bit table of byte pairs that lead from the root back to the root without a match lets the scan take two
/// bytes per lookup, with no dependency between lookups: the same transitions, taken faster.
/// </summary>
public sealed partial class AhoCorasick
{
    /// <summary>At most this many states get a dense row (4 MiB of transitions).</summary>
    public const int DenseStates = 4096;

    private readonly byte[][] _labels;
    private readonly int[][] _targets;
    private readonly int[] _fail;
    private readonly int[][] _outputs;
    private readonly bool[] _emits;
    private readonly int[] _dense;
    private readonly int _denseCount;
    private readonly byte[] _fold = new byte[256];
    private readonly bool _empty;
    private readonly bool _skipRoot;

    // Dense rows hold the target state, with EmitsFlag set when the target reports keys.
    private const int EmitsFlag = 1 << 31;

    // Bit (b0 | b1 << 8) set: from the root, b0 then b1 may leave the root or report a key.
    private readonly ulong[] _rootPairs = new ulong[65536 / 64];

    public AhoCorasick(IReadOnlyList<byte[]> keys, bool ignoreAsciiCase = false)
    {
        for (var b = 0; b < 256; b++) _fold[b] = ignoreAsciiCase && b is >= 'A' and <= 'Z' ? (byte)(b + 32) : (byte)b;
        var next = new List<SortedDictionary<byte, int>> { new() };
        var outputs = new List<List<int>> { new() };
        for (var k = 0; k < keys.Count; k++)
        {
            if (keys[k].Length == 0) throw new ArgumentException("A key is empty.", nameof(keys));
            var state = 0;
            foreach (var raw in keys[k])
            {
                var b = _fold[raw];
                if (!next[state].TryGetValue(b, out var to))
                {
                    to = next.Count;
                    next[state][b] = to;
                    next.Add(new SortedDictionary<byte, int>());
                    outputs.Add([]);
                }
                state = to;
            }
            outputs[state].Add(k);
        }
        // Number the states breadth first: a state's failure target (a shorter suffix, so shallower) then
        // comes before it, and the dense states are simply the first ones.
        var order = new List<int> { 0 };
        for (var i = 0; i < order.Count; i++) order.AddRange(next[order[i]].Values);
        var renumbered = new int[order.Count];
        for (var i = 0; i < order.Count; i++) renumbered[order[i]] = i;
        _labels = [.. order.Select(old => next[old].Keys.ToArray())];
        _targets = [.. order.Select(old => next[old].Values.Select(t => renumbered[t]).ToArray())];
        _fail = new int[order.Count];
        _outputs = new int[order.Count][];
        _emits = new bool[order.Count];
        _denseCount = Math.Min(order.Count, DenseStates);
        _dense = new int[_denseCount * 256];
        BuildFailureLinks([.. order.Select(old => outputs[old])]);
        _skipRoot = FoldAndFlagDenseRows();
        _empty = keys.Count == 0;
        _ownOutputs = [.. order.Select(old => outputs[old].ToArray())];
        (_starts, _startShift, _longest) = ignoreAsciiCase || _skipRoot ? (null, 0, 0) : BuildStarts(keys);
    }

    /// <summary>
    /// Rewrites the dense rows for the scan loop (indexed by the raw byte, targets flagged when they emit), then fills
    /// the root pairs; true when skipping by pairs pays.
    /// </summary>
    private bool FoldAndFlagDenseRows()
    {
        var resolved = (int[])_dense.Clone();
        for (var state = 0; state < _denseCount; state++)
            for (var b = 0; b < 256; b++)
            {
                var to = resolved[state * 256 + _fold[b]];
                _dense[state * 256 + b] = _emits[to] ? to | EmitsFlag : to;
            }
        for (var b0 = 0; b0 < 256; b0++)
        {
            var first = _dense[b0];
            for (var b1 = 0; b1 < 256; b1++)
                if (first < 0 || Next(first, (byte)b1) != 0)
                    _rootPairs[(b0 | b1 << 8) >> 6] |= 1UL << (b0 | b1 << 8);
        }
        // Skipping pays while most pairs stay at the root; with many keys nearly every pair leaves it, and the
        // check would only add a branch to each byte.
        return _rootPairs.Sum(bits => System.Numerics.BitOperations.PopCount(bits)) < 65536 / 8;
    }

    private int Next(int state, byte raw)
    {
        var to = state < _denseCount ? _dense[(state << 8) + raw] : Step(state, _fold[raw]);
        return to & ~EmitsFlag;
    }

    private void BuildFailureLinks(List<List<int>> outputs)
    {
        for (var state = 0; state < _labels.Length; state++)
        {
            _outputs[state] = state == 0 ? [.. outputs[0]] : [.. outputs[state], .. _outputs[_fail[state]]];
            _emits[state] = _outputs[state].Length > 0;
            if (state < _denseCount)
            {
                // Resolved transitions: the goto where there is one, else what the failure target does.
                var row = _dense.AsSpan(state * 256, 256);
                if (state != 0) _dense.AsSpan(_fail[state] * 256, 256).CopyTo(row);
                for (var i = 0; i < _labels[state].Length; i++) row[_labels[state][i]] = _targets[state][i];
            }
            for (var i = 0; i < _labels[state].Length; i++)
                _fail[_targets[state][i]] = state == 0 ? 0 : Step(_fail[state], _labels[state][i]);
        }
    }

    /// <summary>The transition on an already folded byte, through failure links; during construction the dense rows are indexed by folded bytes.</summary>
    private int Step(int state, byte b)
    {
        while (true)
        {
            if (state < _denseCount) return _dense[state * 256 + b] & ~EmitsFlag;
            var at = Array.BinarySearch(_labels[state], b);
            if (at >= 0) return _targets[state][at];
            state = _fail[state];
        }
    }

    /// <summary>
    /// Feeds the next bytes of a stream. <paramref name="state"/> carries over between calls (start at 0);
    /// every key ending in <paramref name="data"/> is reported as (key index, position of its last byte + 1),
    /// positions counted from the stream's start given as <paramref name="offset"/>.
    /// </summary>
    public void Feed(ref int state, ReadOnlySpan<byte> data, long offset, List<(int Key, long End)> hits)
    {
        if (_empty) return;
        if (_starts is not null && data.Length >= 4 * _longest) FeedFiltered(ref state, data, offset, hits);
        else Run(ref state, data, offset, hits);
    }

    /// <summary>The automaton proper: every key ending in <paramref name="data"/>, from <paramref name="state"/> on.</summary>
    private void Run(ref int state, ReadOnlySpan<byte> data, long offset, List<(int Key, long End)> hits)
    {
        var (dense, denseCount, pairs, skip) = (_dense, _denseCount, _rootPairs, _skipRoot);
        var s = state;
        var i = 0;
        while (i < data.Length)
        {
            if (s == 0 && skip)
            {
                i = SkipRootPairs(data, i, pairs);
                if (i == data.Length) break;
            }
            var to = s < denseCount ? dense[(s << 8) + data[i]] : Sparse(s, data[i]);
            s = to & ~EmitsFlag;
            i++;
            if (to < 0) foreach (var key in _outputs[s]) hits.Add((key, offset + i));
        }
        state = s;
    }

    /// <summary>
    /// From the root at <paramref name="i"/>: the first position whose pair (with the next byte) may leave the root, two
    /// bytes per step; the last byte if none. The hottest loop of a scan, so without bounds checks: every read is below
    /// <c>data.Length - 1</c> + 1, and the pair index below 65536.
    /// </summary>
    private static int SkipRootPairs(ReadOnlySpan<byte> data, int i, ulong[] pairs)
    {
        ref var bytes = ref MemoryMarshal.GetReference(data);
        ref var bits = ref MemoryMarshal.GetArrayDataReference(pairs);
        var last = data.Length - 1;
        while (i < last)
        {
            var pair = Unsafe.Add(ref bytes, i) | Unsafe.Add(ref bytes, i + 1) << 8;
            if ((Unsafe.Add(ref bits, pair >> 6) & 1UL << pair) != 0) break;
            i += 2;
        }
        return i;
    }

    /// <summary>A transition out of a state without a dense row, flagged like the dense ones.</summary>
    private int Sparse(int state, byte raw)
    {
        var to = Step(state, _fold[raw]);
        return _emits[to] ? to | EmitsFlag : to;
    }
}
