using System.Security.Cryptography;

namespace Parley.Core.Scanning.Features;

/// <summary>
/// Turns anomalous data found in a blocked file (e.g. the payload after its end marker) into features,
/// the feedback step of scanned sharing: the payload's SHA-256 catches the same payload in any carrier,
/// and a byte pattern of its first bytes catches it with other bytes after it. Names are derived from
/// the payload's hash, so deriving twice from the same payload gives the same features.
/// </summary>
public static class FeatureDerivation
{
    /// <summary>How many first bytes of the payload make its byte pattern.</summary>
    public const int PatternLength = 32;

    /// <summary>A pattern needs this many bytes and distinct values, or it would match innocent data (runs of zeros, padding).</summary>
    public const int MinPatternLength = 12;
    public const int MinDistinctBytes = 6;

    public static IReadOnlyList<Feature> FromPayload(ReadOnlySpan<byte> payload, string reason)
    {
        if (payload.IsEmpty) return [];
        var hash = Convert.ToHexStringLower(SHA256.HashData(payload));
        var name = $"Parley.Derived.{hash[..16]}";
        var features = new List<Feature> { new($"{name}.payload", reason, new HashSignature(HashTarget.Payload, hash, payload.Length)) };
        var head = payload[..Math.Min(PatternLength, payload.Length)];
        if (head.Length >= MinPatternLength && Distinct(head) >= MinDistinctBytes)
            features.Add(new($"{name}.pattern", reason, new PatternSignature(BytePattern.Parse(Convert.ToHexStringLower(head)), PatternAnchor.Anywhere)));
        return features;
    }

    private static int Distinct(ReadOnlySpan<byte> bytes)
    {
        Span<bool> seen = stackalloc bool[256];
        var count = 0;
        foreach (var b in bytes)
            if (!seen[b]) { seen[b] = true; count++; }
        return count;
    }
}
