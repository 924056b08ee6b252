namespace Parley.Core.Scanning.Features;

/// <summary>A feature and the library version that added it.</summary>
public sealed record LibraryFeature(long AddedIn, Feature Feature);

/// <summary>A feature taken out (e.g. a false positive an operator released) in version <see cref="RemovedIn"/>.</summary>
public sealed record LibraryRemoval(long RemovedIn, string Name);

/// <summary>What changed between two library versions: apply it to a library at any version from <see cref="From"/> on.</summary>
public sealed record FeatureDelta(long From, long To, IReadOnlyList<LibraryFeature> Added, IReadOnlyList<LibraryRemoval> Removed);

/// <summary>
/// The anomaly feature library: immutable, at a <see cref="Version"/> that only grows (0 is the empty
/// library nobody published). Each change makes the next version; a client that holds version V asks
/// for <see cref="DeltaSince"/>(V) and <see cref="Apply"/>s it, so it never needs the whole library again.
/// </summary>
public sealed class FeatureLibrary
{
    public static readonly FeatureLibrary Empty = new(0, [], []);

    private FeatureLibrary(long version, IReadOnlyList<LibraryFeature> features, IReadOnlyList<LibraryRemoval> removals)
    {
        Version = version;
        Features = features;
        Removals = removals;
    }

    public long Version { get; }

    /// <summary>The features in force, each once by name.</summary>
    public IReadOnlyList<LibraryFeature> Features { get; }

    /// <summary>Features taken out, kept so that deltas can tell clients to drop them.</summary>
    public IReadOnlyList<LibraryRemoval> Removals { get; }

    /// <summary>Builds a library as stored (e.g. parsed); refuses what no sequence of changes could have made.</summary>
    /// <exception cref="ArgumentException">A duplicate name, or a change newer than <paramref name="version"/>.</exception>
    public static FeatureLibrary Create(long version, IEnumerable<LibraryFeature> features, IEnumerable<LibraryRemoval> removals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        var list = features.ToList();
        var removed = removals.ToList();
        if (list.DistinctBy(f => f.Feature.Name, StringComparer.Ordinal).Count() != list.Count)
            throw new ArgumentException("Two features share a name.", nameof(features));
        if (list.Any(f => f.AddedIn < 1 || f.AddedIn > version) || removed.Any(r => r.RemovedIn < 1 || r.RemovedIn > version))
            throw new ArgumentException($"A change is outside versions 1 to {version}.", nameof(version));
        return new FeatureLibrary(version, list, removed);
    }

    /// <summary>The next version with <paramref name="added"/> in it (a feature of the same name is replaced).</summary>
    public FeatureLibrary With(IEnumerable<Feature> added)
    {
        var next = Version + 1;
        var fresh = added.Select(f => new LibraryFeature(next, f)).ToList();
        if (fresh.Count == 0) throw new ArgumentException("A new version needs at least one feature.", nameof(added));
        if (fresh.DistinctBy(f => f.Feature.Name, StringComparer.Ordinal).Count() != fresh.Count)
            throw new ArgumentException("Two new features share a name.", nameof(added));
        var names = fresh.Select(f => f.Feature.Name).ToHashSet(StringComparer.Ordinal);
        return new FeatureLibrary(next, [.. Features.Where(f => !names.Contains(f.Feature.Name)), .. fresh], Removals);
    }

    /// <summary>The next version without the features named; names not in force are ignored, and if none is, nothing changes.</summary>
    public FeatureLibrary Without(IEnumerable<string> names)
    {
        var next = Version + 1;
        var gone = names.Intersect(Features.Select(f => f.Feature.Name), StringComparer.Ordinal).ToHashSet(StringComparer.Ordinal);
        if (gone.Count == 0) return this;
        return new FeatureLibrary(next, [.. Features.Where(f => !gone.Contains(f.Feature.Name))],
            [.. Removals.Where(r => !gone.Contains(r.Name)), .. gone.Select(name => new LibraryRemoval(next, name))]);
    }

    /// <summary>Everything added or removed after <paramref name="version"/>; empty when it is current.</summary>
    public FeatureDelta DeltaSince(long version)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(version);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(version, Version);
        return new FeatureDelta(version, Version,
            [.. Features.Where(f => f.AddedIn > version)], [.. Removals.Where(r => r.RemovedIn > version)]);
    }

    /// <summary>
    /// This library brought to <paramref name="delta"/>'s version. Applying a delta already applied changes
    /// nothing; a delta that starts after this version would leave a gap and is refused.
    /// </summary>
    /// <exception cref="InvalidOperationException">The delta starts after this library's version.</exception>
    public FeatureLibrary Apply(FeatureDelta delta)
    {
        if (delta.From > Version)
            throw new InvalidOperationException($"The update starts at version {delta.From} but this library is at {Version}: fetch the changes since {Version}.");
        if (delta.To <= Version) return this;
        var removed = delta.Removed.Where(r => r.RemovedIn > Version).ToList();
        var added = delta.Added.Where(f => f.AddedIn > Version).ToList();
        var replaced = removed.Select(r => r.Name).Concat(added.Select(f => f.Feature.Name)).ToHashSet(StringComparer.Ordinal);
        var removedNames = removed.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        return Create(delta.To,
            [.. Features.Where(f => !replaced.Contains(f.Feature.Name)), .. added],
            [.. Removals.Where(r => !removedNames.Contains(r.Name)), .. removed]);
    }
}
