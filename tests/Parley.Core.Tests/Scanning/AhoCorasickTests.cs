using Parley.Core.Scanning.Features;

namespace Parley.Core.Tests.Scanning;

public class AhoCorasickTests
{
    /// <summary>Every occurrence of every key, by brute force.</summary>
    private static List<(int Key, long End)> Naive(IReadOnlyList<byte[]> keys, byte[] data)
    {
        var hits = new List<(int, long)>();
        for (var k = 0; k < keys.Count; k++)
            for (var at = 0; at + keys[k].Length <= data.Length; at++)
                if (data.AsSpan(at, keys[k].Length).SequenceEqual(keys[k])) hits.Add((k, at + keys[k].Length));
        return [.. hits.Order()];
    }

    [Theory]
    [InlineData(50, 4)]
    [InlineData(3000, 5)]
    public void Finds_exactly_what_brute_force_finds_beyond_the_dense_states(int count, int alphabet)
    {
        // A small alphabet makes keys overlap (suffixes of one are prefixes of others): failure links at work.
        var random = new Random(count);
        var keys = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, random.Next(1, 9)).Select(_ => (byte)random.Next(alphabet)).ToArray()).ToList();
        var automaton = new AhoCorasick(keys);
        var data = Enumerable.Range(0, 20_000).Select(_ => (byte)random.Next(alphabet + 1)).ToArray();
        var hits = new List<(int Key, long End)>();
        var state = 0;
        for (var at = 0; at < data.Length; at += 777)
            automaton.Feed(ref state, data.AsSpan(at, Math.Min(777, data.Length - at)), at, hits);
        Assert.Equal(Naive(keys, data), hits.Order());
    }

    /// <summary>
    /// Few keys over the full byte range: the scan skips pairs of bytes in the root state. Keys planted at odd and even
    /// offsets, straddling feed boundaries, at the very end, plus one-byte and case-folded keys, must all be found.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Skipping_in_the_root_state_finds_what_brute_force_finds(bool ignoreAsciiCase)
    {
        var random = new Random(ignoreAsciiCase ? 11 : 12);
        List<byte[]> keys = [[0xC7], "<ScRipt"u8.ToArray(), [0x50, 0x4B, 0x03, 0x04], [0x4B, 0x03], [0xFE, 0xFE, 0xFE], [0x00, 0x01]];
        var data = new byte[50_000];
        random.NextBytes(data);
        foreach (var at in new[] { 0, 1, 776, 777, 1553, 30_001, data.Length - 16 })
        {
            var key = keys[random.Next(1, keys.Count)];
            key.CopyTo(data, at);
            key.CopyTo(data, at + 1 + key.Length);
        }
        "<SCRIPT"u8.CopyTo(data.AsSpan(data.Length - 7));
        var hits = new List<(int Key, long End)>();
        var state = 0;
        var automaton = new AhoCorasick(keys, ignoreAsciiCase);
        for (var at = 0; at < data.Length; at += 777)
            automaton.Feed(ref state, data.AsSpan(at, Math.Min(777, data.Length - at)), at, hits);
        var folded = ignoreAsciiCase ? [.. data.Select(b => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b)] : data;
        var foldedKeys = ignoreAsciiCase ? [.. keys.Select(k => k.Select(b => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b).ToArray())] : keys;
        Assert.Equal(Naive(foldedKeys, folded), hits.Order());
        Assert.Equal(ignoreAsciiCase, hits.Contains((1, data.Length)));
    }

    /// <summary>
    /// Many keys of four bytes or more: pieces are scanned by where keys start (a hash filter and trie walks), the
    /// automaton only at each piece's edges. Keys planted across piece boundaries, nested keys (one a prefix or suffix of
    /// another), duplicates, and pieces of mixed sizes (small ones go through the automaton alone) must all be found.
    /// </summary>
    [Fact]
    public void Scanning_by_key_starts_finds_what_brute_force_finds()
    {
        var random = new Random(21);
        var keys = Enumerable.Range(0, 400).Select(_ => Enumerable.Range(0, random.Next(4, 13)).Select(_ => (byte)random.Next(256)).ToArray()).ToList();
        keys.Add([.. keys[0], 0x11, 0x22]);
        keys.Add(keys[1][1..] is { Length: >= 4 } suffix ? suffix : [.. keys[1], 9]);
        keys.Add([.. keys[2]]);
        var data = new byte[300_000];
        random.NextBytes(data);
        var at = 0;
        var pieces = new List<int>();
        while (at < data.Length)
        {
            var piece = Math.Min(data.Length - at, pieces.Count % 3 == 2 ? random.Next(1, 40) : random.Next(200, 9000));
            pieces.Add(piece);
            at += piece;
        }
        var boundary = 0;
        foreach (var piece in pieces.Take(pieces.Count - 1))
        {
            boundary += piece;
            var key = keys[random.Next(keys.Count)];
            var from = Math.Clamp(boundary - random.Next(1, key.Length), 0, data.Length - key.Length);
            key.CopyTo(data, from);
        }
        var automaton = new AhoCorasick(keys);
        var hits = new List<(int Key, long End)>();
        var state = 0;
        at = 0;
        foreach (var piece in pieces)
        {
            automaton.Feed(ref state, data.AsSpan(at, piece), at, hits);
            at += piece;
        }
        var expected = Naive(keys, data);
        Assert.True(expected.Count > pieces.Count / 2);
        Assert.Equal(expected, hits.Order());
    }

    [Fact]
    public void Sparse_states_past_the_dense_ones_match_long_keys()
    {
        var random = new Random(5);
        var keys = Enumerable.Range(0, 2000).Select(_ => Enumerable.Range(0, 12).Select(_ => (byte)random.Next(256)).ToArray()).ToList();
        var data = new byte[100_000];
        random.NextBytes(data);
        keys[1234].CopyTo(data, 50_000);
        keys[7].CopyTo(data, 99_988);
        var hits = new List<(int Key, long End)>();
        var state = 0;
        new AhoCorasick(keys).Feed(ref state, data, 0, hits);
        Assert.Equal(Naive(keys, data), hits.Order());
        Assert.Contains((1234, 50_012L), hits);
    }

    [Fact]
    public void Case_folding_matches_any_case()
    {
        var hits = new List<(int Key, long End)>();
        var state = 0;
        new AhoCorasick(["<script"u8.ToArray()], ignoreAsciiCase: true).Feed(ref state, "x<ScRIPT>"u8, 0, hits);
        Assert.Equal([(0, 8L)], hits);
    }
}
