using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Testing.Scanning;
using static Parley.Core.Tests.Scanning.FirstDetection;

namespace Parley.Core.Tests.Scanning;

/// <summary>
/// A PNG's private ancillary chunk (a type the specification does not register, first letter lower case) is valid
/// PNG that decoders skip: no finding of its own, but its data is a payload, so a derived payload feature catches the
/// same data in any carrier picture.
/// </summary>
public sealed class PrivateChunkTests
{
    private static readonly byte[] Hidden = "a payload no decoder looks at: 7f3a9c"u8.ToArray();

    [Fact]
    public void A_private_chunk_is_a_payload_without_a_finding()
    {
        var png = MediaSamples.Png(16, 16, ("prVt", Hidden));

        var (report, findings) = Run(png, "image/png", "a.png");

        Assert.Empty(findings);
        // Signature (8) + IHDR (25) + the private chunk's length and type (8): its data starts at byte 41.
        Assert.Equal(new ByteRange(41, Hidden.Length), Assert.Single(report.Payloads));
    }

    [Theory]
    [InlineData("tEXt")]
    [InlineData("pHYs")]
    [InlineData("iCCP")]
    [InlineData("fcTL")]
    public void Registered_ancillary_chunks_are_not_payloads(string type) =>
        Assert.Empty(Run(MediaSamples.Png(16, 16, (type, Hidden)), "image/png", "a.png").Report.Payloads);

    [Fact]
    public void Every_private_chunk_is_its_own_payload_and_data_after_iend_still_counts()
    {
        var png = MediaSamples.Png(16, 16, ("prVt", Hidden), ("zzZz", [1, 2, 3]));

        var (report, findings) = Run([.. png, .. "tail"u8.ToArray()], "image/png", "a.png");

        Assert.Equal([Hidden.Length, 3, 4], report.Payloads.Select(p => p.Length));
        Assert.Equal([ScanFindingCodes.DataAfterEnd], findings.Select(f => f.Code));
    }

    [Fact]
    public async Task A_feature_derived_from_the_chunk_data_matches_it_in_another_carrier()
    {
        var library = FeatureLibrary.Empty.With(FeatureDerivation.FromPayload(Hidden, "seen in a blocked picture"));
        var inspector = new ContentInspector(library);
        var carrier = MediaSamples.Png(24, 8, ("tEXt", "Comment\0x"u8.ToArray()), ("prVt", Hidden));

        var inspection = await inspector.InspectAsync(new MemoryStream(carrier), "other.png", "image/png");
        var clean = await inspector.InspectAsync(new MemoryStream(MediaSamples.Png(24, 8, ("prVt", [.. Hidden, 0]))), "b.png", "image/png");

        Assert.Contains(inspection.Findings, f => f.Code == ScanFindingCodes.FeatureMatch && f.Detail.Contains(".payload", StringComparison.Ordinal));
        Assert.DoesNotContain(clean.Findings, f => f.Detail.Contains(".payload", StringComparison.Ordinal));
    }
}
