namespace Parley.Core.Scanning.Features;

/// <summary>
/// Aho-Corasick over bytes: finds every occurrence of every key in one pass, whatever the number of keys.
/// The root's transitions are a full table (most bytes of a file leave the root at once); deeper states
/// keep sorted transition arrays, so memory grows with the keys' total length, not 256 times it.
/// With <c>ignoreAsciiCase</c> keys and input are compared with A-Z folded to a-z.
/// </summary>
public sealed class AhoCorasick
{
    private readonly int[] _root = new int[256];
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
        BuildFailureLinks(outputs);
    }

    /// <summary>Breadth first, so a state's failure target (a shorter suffix) is complete before the state.</summary>
    private void BuildFailureLinks(List<List<int>> outputs)
    {
        var queue = new Queue<int>();
        _outputs[0] = [.. outputs[0]];
        for (var i = 0; i < _labels[0].Length; i++)
        {
            _root[_labels[0][i]] = _targets[0][i];
            queue.Enqueue(_targets[0][i]);
        }
        while (queue.Count > 0)
        {
            var state = queue.Dequeue();
            _outputs[state] = [.. outputs[state], .. _outputs[_fail[state]]];
            for (var i = 0; i < _labels[state].Length; i++)
            {
                var child = _targets[state][i];
                _fail[child] = Step(_fail[state], _labels[state][i]);
                queue.Enqueue(child);
            }
        }
    }

    private int Step(int state, byte b)
    {
        while (true)
        {
            if (state == 0) return _root[b];
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
        for (var i = 0; i < data.Length; i++)
        {
            state = Step(state, fold[data[i]]);
            var found = _outputs[state];
            for (var k = 0; k < found.Length; k++) hits.Add((found[k], offset + i + 1));
        }
    }
}
