namespace Parley.Core.Scanning.Features;

/// <summary>
/// Aho-Corasick over bytes: finds every occurrence of every key in one pass, whatever the number of keys.
/// The shallowest <see cref="DenseStates"/> states (where a scan spends nearly all its time) get full
/// 256-entry transition rows with failures already resolved, a plain DFA; deeper states keep sorted
/// transition arrays and failure links, so memory stays bounded whatever the keys' total length.
/// With <c>ignoreAsciiCase</c> keys and input are compared with A-Z folded to a-z.
/// </summary>
public sealed class AhoCorasick
{
    /// <summary>At most this many states get a dense row (4 MiB of transitions).</summary>
    public const int DenseStates = 4096;

    private readonly int[] _dense;
    private readonly int[] _denseRow;
    private readonly byte[][] _labels;
    private readonly int[][] _targets;
    private readonly int[] _fail;
    private readonly int[][] _outputs;
    private readonly byte[] _fold = new byte[256];

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
        _labels = next.Select(n => n.Keys.ToArray()).ToArray();
        _targets = next.Select(n => n.Values.ToArray()).ToArray();
        _fail = new int[next.Count];
        _outputs = new int[next.Count][];
        _denseRow = new int[next.Count];
        Array.Fill(_denseRow, -1);
        _dense = new int[Math.Min(next.Count, DenseStates) * 256];
        BuildFailureLinks(outputs);
    }

    /// <summary>
    /// Breadth first, so a state's failure target (a shorter suffix, so shallower) is complete before the
    /// state, and the first states in this order, which get the dense rows, are the shallowest.
    /// </summary>
    private void BuildFailureLinks(List<List<int>> outputs)
    {
        var queue = new Queue<int>();
        queue.Enqueue(0);
        var rows = 0;
        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            _outputs[state] = state == 0 ? [.. outputs[0]] : [.. outputs[state], .. _outputs[_fail[state]]];
            if (rows < DenseStates)
            {
                _denseRow[state] = rows++;
                var row = _dense.AsSpan(_denseRow[state] * 256, 256);
                // Resolved transitions: the goto where there is one, else what the failure target does.
                if (state != 0) _dense.AsSpan(_denseRow[_fail[state]] * 256, 256).CopyTo(row);
                for (var i = 0; i < _labels[state].Length; i++) row[_labels[state][i]] = _targets[state][i];
            }
            for (var i = 0; i < _labels[state].Length; i++)
            {
                var child = _targets[state][i];
                _fail[child] = state == 0 ? 0 : Step(_fail[state], _labels[state][i]);
                queue.Enqueue(child);
            }
        }
    }

    private int Step(int state, byte b)
    {
        while (true)
        {
            if (_denseRow[state] is var row and >= 0) return _dense[row * 256 + b];
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
        var fold = _fold;
        var dense = _dense;
        var denseRow = _denseRow;
        var outputs = _outputs;
        for (var i = 0; i < data.Length; i++)
        {
            var b = fold[data[i]];
            state = denseRow[state] is var row and >= 0 ? dense[row * 256 + b] : Step(state, b);
            var found = outputs[state];
            for (var k = 0; k < found.Length; k++) hits.Add((found[k], offset + i + 1));
        }
    }
}
