namespace Parley.Core.Scanning.Features;

/// <summary>
/// A <see cref="FeatureLibrary"/> compiled for matching: file and payload hashes in dictionaries, the
/// literal run of every unanchored pattern part in one <see cref="AhoCorasick"/> automaton. Immutable
/// and thread-safe; each file gets its own <see cref="FeatureMatchSession"/>, which reads the file once
/// in chunks and keeps only a bounded window of it.
/// </summary>
public sealed class FeatureMatcher
{
    internal const int ChunkSize = 64 * 1024;

    /// <summary>The detector name in findings.</summary>
    public const string Detector = "features";

    public FeatureMatcher(FeatureLibrary library)
    {
        Version = library.Version;
        var features = library.Features.Select(f => f.Feature).ToList();
        FileHashes = HashIndex(features, HashTarget.File);
        PayloadHashes = HashIndex(features, HashTarget.Payload);
        var patterns = features.Where(f => f.Signature is PatternSignature).ToList();
        Anywhere = patterns.Where(f => ((PatternSignature)f.Signature).Anchor.Kind == AnchorKind.Anywhere).ToArray();
        Anchored = patterns.Where(f => ((PatternSignature)f.Signature).Anchor.Kind != AnchorKind.Anywhere).ToArray();
        var keys = new List<byte[]>();
        var owners = new List<(int Pattern, int Part)>();
        for (var p = 0; p < Anywhere.Length; p++)
        {
            var parts = Pattern(Anywhere[p]).Parts;
            for (var i = 0; i < parts.Count; i++)
            {
                keys.Add(parts[i].AnchorRun);
                owners.Add((p, i));
            }
        }
        Automaton = new AhoCorasick(keys);
        KeyOwners = [.. owners];
        LongestPart = Anywhere.SelectMany(f => Pattern(f).Parts).Select(part => part.MaxLength).DefaultIfEmpty(0).Max();
        HeadLength = Anchored.Where(f => Anchor(f).Kind == AnchorKind.FromStart)
            .Select(f => Anchor(f).Offset + Pattern(f).Parts[0].MaxLength).DefaultIfEmpty(0).Max();
        TailLength = Anchored.Select(Anchor).Where(a => a.Kind == AnchorKind.FromEnd).Select(a => a.Offset).DefaultIfEmpty(0).Max();
    }

    /// <summary>The library version this matcher checks against: what a local security identifier names.</summary>
    public long Version { get; }

    internal IReadOnlyDictionary<string, Feature[]> FileHashes { get; }
    internal IReadOnlyDictionary<string, Feature[]> PayloadHashes { get; }
    internal Feature[] Anywhere { get; }
    internal Feature[] Anchored { get; }
    internal AhoCorasick Automaton { get; }
    internal (int Pattern, int Part)[] KeyOwners { get; }
    internal int LongestPart { get; }
    internal int HeadLength { get; }
    internal int TailLength { get; }

    /// <summary>True when some feature hashes a payload: only then do callers need to give payload ranges.</summary>
    public bool HasPayloadFeatures => PayloadHashes.Count > 0;

    /// <summary>Starts matching one file; feed it its bytes in order.</summary>
    /// <param name="payloads">Ranges of the file (e.g. data after an end marker) whose SHA-256 is checked against payload features.</param>
    public FeatureMatchSession Start(IReadOnlyList<ByteRange>? payloads = null) => new(this, payloads ?? []);

    /// <summary>A session that leaves the whole file's SHA-256 to the caller (computed on another core), given to <c>Finish(digest)</c>.</summary>
    internal FeatureMatchSession StartWithoutFileHash(IReadOnlyList<ByteRange> payloads) => new(this, payloads, hashWhole: false);

    /// <summary>Reads <paramref name="content"/> to its end and returns a finding per matching feature.</summary>
    public async Task<IReadOnlyList<ScanFinding>> MatchAsync(Stream content, IReadOnlyList<ByteRange>? payloads = null, CancellationToken ct = default)
    {
        var session = Start(payloads);
        var buffer = new byte[ChunkSize];
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0) session.Feed(buffer.AsSpan(0, read));
        return Findings(session.Finish());
    }

    public IReadOnlyList<ScanFinding> Match(ReadOnlySpan<byte> content, IReadOnlyList<ByteRange>? payloads = null)
    {
        var session = Start(payloads);
        session.Feed(content);
        return Findings(session.Finish());
    }

    internal static BytePattern Pattern(Feature feature) => ((PatternSignature)feature.Signature).Pattern;
    internal static PatternAnchor Anchor(Feature feature) => ((PatternSignature)feature.Signature).Anchor;

    /// <summary>One <c>feature.match</c> finding per hit, naming the feature, where it matched and the library version.</summary>
    public IReadOnlyList<ScanFinding> Findings(IEnumerable<FeatureHit> hits) =>
        [.. hits.Select(hit => new ScanFinding(ScanFindingCodes.FeatureMatch, Detector,
            $"Feature {hit.Feature.Name} (library version {Version}) matches bytes {hit.Range.Start}-{hit.Range.End}: {hit.Feature.Reason}"))];

    private static Dictionary<string, Feature[]> HashIndex(List<Feature> features, HashTarget target) =>
        features.Where(f => f.Signature is HashSignature h && h.Target == target)
            .GroupBy(f => ((HashSignature)f.Signature).Sha256Hex, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
}

/// <summary>A feature that matched, and the bytes it matched (the whole file for a file hash, the payload for a payload hash).</summary>
public sealed record FeatureHit(Feature Feature, ByteRange Range);
