using Parley.Core.Scanning.Features;
using Parley.Core.Scanning.Structure;
using Parley.Testing.Scanning;

namespace Parley.Core.Tests.Scanning;

public class FeatureDerivationTests
{
    [Fact]
    public void Features_derived_from_a_blocked_payload_catch_it_in_other_carriers()
    {
        var payload = MediaSamples.ShellScript;
        var png = MediaSamples.Png();
        var blocked = StructureChecks.Check(new MemoryStream([.. png, .. payload]), "image/png", "a.png");
        var range = Assert.Single(blocked.Payloads);
        var derived = FeatureDerivation.FromPayload(payload.AsSpan((int)(range.Start - png.Length), (int)range.Length), "Blocked share s_1");
        Assert.Equal(2, derived.Count);
        Assert.Equal(derived.Select(f => f.Name), FeatureDerivation.FromPayload(payload, "again").Select(f => f.Name));

        var matcher = new FeatureMatcher(FeatureLibrary.Empty.With(derived));
        var gif = MediaSamples.Gif();
        byte[] otherCarrier = [.. gif, .. payload];
        var report = StructureChecks.Check(new MemoryStream(otherCarrier), null, null);
        Assert.Equal(derived.Select(f => f.Name).Order(), matcher.Match(otherCarrier, report.Payloads).Select(f => f.Detail.Split(' ')[1]).Order());

        // The same payload with more after it: the hash no longer matches, the pattern still does.
        byte[] longer = [.. gif, .. payload, .. "# more\n"u8];
        var longerReport = StructureChecks.Check(new MemoryStream(longer), null, null);
        Assert.Equal([derived[1].Name], matcher.Match(longer, longerReport.Payloads).Select(f => f.Detail.Split(' ')[1]));
    }

    [Fact]
    public void Short_or_monotonous_payloads_get_a_hash_but_no_pattern()
    {
        Assert.Single(FeatureDerivation.FromPayload(new byte[4096], "zeros"));
        Assert.Single(FeatureDerivation.FromPayload("short"u8, "short"));
        Assert.Empty(FeatureDerivation.FromPayload([], "nothing"));
    }
}
