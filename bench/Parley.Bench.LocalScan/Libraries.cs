using System.Security.Cryptography;
using Parley.Core.Scanning.Features;

namespace Parley.Bench.LocalScan;

/// <summary>Feature libraries of the sizes the benchmark compares, made of random ClamAV-style patterns and hashes (seeded: the same every run).</summary>
internal static class Libraries
{
    public static FeatureLibrary Patterns(int patterns, int hashes, int seed)
    {
        var random = new Random(seed);
        var features = new List<Feature>();
        for (var i = 0; i < patterns; i++)
            features.Add(new Feature($"P{i}", "bench", new PatternSignature(BytePattern.Parse(RandomPattern(random, i)), PatternAnchor.Anywhere)));
        for (var i = 0; i < hashes; i++)
        {
            var target = i % 2 == 0 ? HashTarget.File : HashTarget.Payload;
            features.Add(new Feature($"H{i}", "bench", new HashSignature(target, Convert.ToHexStringLower(RandomBytes(random, 32)), null)));
        }
        return features.Count == 0 ? FeatureLibrary.Empty : FeatureLibrary.Empty.With(features);
    }

    /// <summary>8–24 literal bytes; every third pattern has a bounded gap, every fifth a second part after <c>*</c>.</summary>
    private static string RandomPattern(Random random, int i)
    {
        var text = Convert.ToHexStringLower(RandomBytes(random, random.Next(8, 25)));
        if (i % 3 == 0) text += "{2-8}" + Convert.ToHexStringLower(RandomBytes(random, 4));
        if (i % 5 == 0) text += "*" + Convert.ToHexStringLower(RandomBytes(random, 6));
        return text;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>A file of <paramref name="size"/> pseudo-random bytes (SHA-256 in counter mode, seeded: incompressible and reproducible).</summary>
    public static void WriteRandomFile(string path, long size, int seed)
    {
        using var file = File.Create(path);
        var block = new byte[1024 * 1024];
        var counter = new byte[8];
        for (long written = 0, i = 0; written < size; written += block.Length)
        {
            for (var at = 0; at < block.Length; at += 32, i++)
            {
                BitConverter.TryWriteBytes(counter, i ^ ((long)seed << 48));
                SHA256.HashData(counter, block.AsSpan(at, 32));
            }
            file.Write(block, 0, (int)Math.Min(block.Length, size - written));
        }
    }
}
