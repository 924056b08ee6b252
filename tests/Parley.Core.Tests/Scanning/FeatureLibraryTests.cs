using Parley.Core.Scanning.Features;

namespace Parley.Core.Tests.Scanning;

public class FeatureLibraryTests
{
    private static Feature Bytes(string name, string hex) =>
        new(name, $"reason of {name}", new PatternSignature(BytePattern.Parse(hex), PatternAnchor.Anywhere));

    [Fact]
    public void Each_change_makes_the_next_version()
    {
        var v1 = FeatureLibrary.Empty.With([Bytes("A", "4141"), Bytes("B", "4242")]);
        var v2 = v1.With([Bytes("C", "4343")]);
        var v3 = v2.Without(["A"]);
        Assert.Equal([1L, 2L, 3L], new[] { v1.Version, v2.Version, v3.Version });
        Assert.Equal(["B", "C"], v3.Features.Select(f => f.Feature.Name));
        Assert.Same(v3, v3.Without(["nothing-by-that-name"]));
    }

    [Fact]
    public void A_delta_brings_an_old_copy_to_the_current_version()
    {
        var v1 = FeatureLibrary.Empty.With([Bytes("A", "4141"), Bytes("B", "4242")]);
        var v3 = v1.With([Bytes("C", "4343")]).Without(["A"]);
        var delta = v3.DeltaSince(1);
        Assert.Equal(["C"], delta.Added.Select(f => f.Feature.Name));
        Assert.Equal(["A"], delta.Removed.Select(r => r.Name));

        var updated = v1.Apply(delta);
        Assert.Equal(3, updated.Version);
        Assert.Equal(FeatureText.Write(v3), FeatureText.Write(updated));
        Assert.Same(updated, updated.Apply(delta));
    }

    [Fact]
    public void A_delta_from_a_newer_version_than_the_copy_is_refused()
    {
        var v1 = FeatureLibrary.Empty.With([Bytes("A", "4141")]);
        var v3 = v1.With([Bytes("B", "4242")]).With([Bytes("C", "4343")]);
        Assert.Throws<InvalidOperationException>(() => v1.Apply(v3.DeltaSince(2)));
    }

    [Fact]
    public void A_feature_removed_then_added_again_survives_the_delta()
    {
        var v1 = FeatureLibrary.Empty.With([Bytes("A", "4141")]);
        var v3 = v1.Without(["A"]).With([Bytes("A", "4142")]);
        var updated = v1.Apply(v3.DeltaSince(1));
        Assert.Equal("4142", ((PatternSignature)Assert.Single(updated.Features).Feature.Signature).Pattern.Text);
    }

    [Fact]
    public void Duplicate_names_are_refused()
    {
        Assert.Throws<ArgumentException>(() => FeatureLibrary.Empty.With([Bytes("A", "4141"), Bytes("A", "4242")]));
        Assert.Throws<ArgumentException>(() => FeatureLibrary.Empty.With([]));
    }
}
