using Parley.Core.Scanning.Features;

namespace Parley.Core.Tests.Scanning;

public class ClamAvImporterTests
{
    private const string Sha256 = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";

    [Fact]
    public void Hsb_sha256_lines_become_file_hashes_and_md5_or_sha1_lines_are_skipped_with_a_note()
    {
        var import = ClamAvImporter.Import("rules.hsb", $"""
            {Sha256}:1234:Parley.Test.Sized
            {Sha256.ToUpperInvariant()}:*:Parley.Test.AnySize:73
            44d88612fea8a8f36de82e1278abb02f:68:Eicar.Md5
            3395856ce81f2b7382dee72602f798b642f14140:68:Eicar.Sha1
            """);
        Assert.Equal(["Parley.Test.Sized", "Parley.Test.AnySize"], import.Features.Select(f => f.Name));
        Assert.Equal(new HashSignature(HashTarget.File, Sha256, 1234), import.Features[0].Signature);
        Assert.Equal(new HashSignature(HashTarget.File, Sha256, null), import.Features[1].Signature);
        Assert.Equal([3, 4], import.Skipped.Select(n => n.LineNumber));
        Assert.Contains("MD5", import.Skipped[0].Reason);
        Assert.Contains("SHA-1", import.Skipped[1].Reason);
    }

    [Fact]
    public void Ndb_offsets_become_anchors_and_unsupported_lines_are_skipped_with_a_note()
    {
        var import = ClamAvImporter.Import("rules.ndb", """
            Parley.Any:0:*:3c3f706870
            Parley.Start:5:0:7f454c46
            Parley.At:0:16:41??43
            Parley.Tail:0:EOF-4:504b0506
            Parley.Star:0:*:4142*4344
            Parley.PE:1:*:4d5a
            Parley.Floating:0:10,20:4142
            Parley.Alternatives:0:*:41(42|43)44
            Parley.Ep:0:EP+0:4142
            """);
        Assert.Equal(["Parley.Any", "Parley.Start", "Parley.At", "Parley.Tail", "Parley.Star"], import.Features.Select(f => f.Name));
        Assert.Equal(PatternAnchor.FromStart(0), ((PatternSignature)import.Features[1].Signature).Anchor);
        Assert.Equal(PatternAnchor.FromStart(16), ((PatternSignature)import.Features[2].Signature).Anchor);
        Assert.Equal(PatternAnchor.FromEnd(4), ((PatternSignature)import.Features[3].Signature).Anchor);
        Assert.Equal([6, 7, 8, 9], import.Skipped.Select(n => n.LineNumber));
        Assert.Contains("file type 1", import.Skipped[0].Reason);
    }

    [Theory]
    [InlineData("rules.hsb", "justonefield", 1)]
    [InlineData("rules.hsb", "# comment\nnothex:12:Name", 2)]
    [InlineData("rules.hsb", Sha256 + ":12x:Name", 1)]
    [InlineData("rules.ndb", "Name:0:*", 1)]
    [InlineData("rules.ndb", "Name:zero:*:4142", 1)]
    public void A_line_that_is_no_signature_is_refused_with_its_number(string file, string text, int line) =>
        Assert.Equal(line, Assert.Throws<FeatureFormatException>(() => ClamAvImporter.Import(file, text)).LineNumber);

    [Fact]
    public void Other_files_are_refused() =>
        Assert.Throws<NotSupportedException>(() => ClamAvImporter.Import("main.cvd", ""));

    [Fact]
    public void Imported_features_match_what_they_describe()
    {
        var import = ClamAvImporter.ImportBodies("Parley.Tail:0:EOF-4:504b0506\n");
        var matcher = new FeatureMatcher(FeatureLibrary.Empty.With(import.Features));
        Assert.Single(matcher.Match([1, 2, 3, 0x50, 0x4B, 5, 6]));
        Assert.Empty(matcher.Match([0x50, 0x4B, 5, 6, 1]));
    }
}
