using Parley.Core.Scanning.Features;

namespace Parley.Core.Tests.Scanning;

public class FeatureTextTests
{
    private const string Hash = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";

    private const string Library = $"""
        parley-features 1
        # a comment
        version 3

        feature 1 Php.Tag bytes any 3c3f706870 A PHP tag inside a picture
        feature 2 Elf.Start bytes start+0 7f454c46 An ELF executable
        feature 2 Trailer.Script payload-sha256 {Hash}:8 A shell script after a picture's end
        feature 3 Known.Bad file-sha256 {Hash}:* A file seen in an attack
        feature 3 Zip.End bytes end 504b0506 A ZIP's end at the file's end
        removed 3 Old.Rule
        """;

    [Fact]
    public void A_library_parses_and_writes_back_the_same()
    {
        var library = FeatureText.ParseLibrary(Library);
        Assert.Equal(3, library.Version);
        Assert.Equal(5, library.Features.Count);
        Assert.Equal("Old.Rule", Assert.Single(library.Removals).Name);
        var zip = (PatternSignature)library.Features[4].Feature.Signature;
        Assert.Equal(PatternAnchor.FromEnd(4), zip.Anchor);
        var trailer = (HashSignature)library.Features[2].Feature.Signature;
        Assert.Equal((HashTarget.Payload, 8L), (trailer.Target, trailer.Size!.Value));
        Assert.Equal("A shell script after a picture's end", library.Features[2].Feature.Reason);

        var written = FeatureText.Write(library);
        Assert.Equal(written, FeatureText.Write(FeatureText.ParseLibrary(written)));
        Assert.Contains("feature 3 Zip.End bytes eof-4 504b0506 A ZIP's end at the file's end\n", written);
    }

    [Fact]
    public void A_delta_parses_and_writes_back_the_same()
    {
        var library = FeatureText.ParseLibrary(Library);
        var text = FeatureText.Write(library.DeltaSince(2));
        Assert.StartsWith("parley-features-delta 1\nfrom 2\nversion 3\n", text);
        var delta = FeatureText.ParseDelta(text);
        Assert.Equal((2L, 3L), (delta.From, delta.To));
        Assert.Equal(["Known.Bad", "Zip.End"], delta.Added.Select(f => f.Feature.Name));
        Assert.Equal(text, FeatureText.Write(delta));
    }

    [Theory]
    [InlineData("version 1", 1)]
    [InlineData("parley-features 2\nversion 1", 1)]
    [InlineData("parley-features 1\nfeature 1 A bytes any 41 r", 2)]
    [InlineData("parley-features 1\nversion 0x1", 2)]
    [InlineData("parley-features 1\nversion -1", 2)]
    [InlineData("parley-features 1\nversion 2\nfeature 3 A bytes any 41 r", 3)]
    [InlineData("parley-features 1\nversion 2\nfeature 0 A bytes any 41 r", 3)]
    [InlineData("parley-features 1\nversion 2\nfeature 1 A/B bytes any 41 r", 3)]
    [InlineData("parley-features 1\nversion 2\nfeature 1 A md5 00 r", 3)]
    [InlineData("parley-features 1\nversion 2\nfeature 1 A bytes any 4G r", 3)]
    [InlineData("parley-features 1\nversion 2\nfeature 1 A bytes any 41", 3)]
    [InlineData("parley-features 1\nversion 2\nfeature 1 A bytes middle 41 r", 3)]
    [InlineData("parley-features 1\nversion 2\nfeature 1 A bytes start+0 41*42 r", 3)]
    [InlineData("parley-features 1\nversion 2\nfeature 1 A bytes end 41{1-2}42 r", 3)]
    [InlineData("parley-features 1\nversion 2\nfeature 1 A bytes start+99999999 41 r", 3)]
    [InlineData("parley-features 1\nversion 2\nfeature 1 A file-sha256 abc:1 r", 3)]
    [InlineData("parley-features 1\nversion 2\nfeature 1 A file-sha256 " + Hash + ":x r", 3)]
    [InlineData("parley-features 1\nversion 2\nfeature 1 A file-sha256 " + Hash + " r", 3)]
    [InlineData("parley-features 1\nversion 2\n\n# fine\nfeature 1 A bytes any 41 r\nfeature 2 A bytes any 42 r", 6)]
    [InlineData("parley-features 1\nversion 2\nremoved 1 A extra", 3)]
    [InlineData("parley-features 1\nversion 2\nhello", 3)]
    [InlineData("parley-features 1\nversion 2\nfeature 1 A bytes any 41 bell\a", 3)]
    public void A_bad_line_is_refused_with_its_number(string text, int line)
    {
        var error = Assert.Throws<FeatureFormatException>(() => FeatureText.ParseLibrary(text));
        Assert.Equal(line, error.LineNumber);
    }

    [Theory]
    [InlineData("parley-features-delta 1\nversion 3")]
    [InlineData("parley-features-delta 1\nfrom 4\nversion 3")]
    [InlineData("parley-features 1\nversion 3")]
    public void A_delta_needs_its_own_header_and_a_forward_range(string text) =>
        Assert.Throws<FeatureFormatException>(() => FeatureText.ParseDelta(text));

    [Fact]
    public void An_empty_delta_is_read_and_changes_nothing()
    {
        var library = FeatureText.ParseLibrary("parley-features 1\nversion 3\nfeature 3 A.B bytes any 4142 ab\n");

        var delta = FeatureText.ParseDelta(FeatureText.Write(library.DeltaSince(3)));

        Assert.Equal((3, 3), (delta.From, delta.To));
        Assert.Same(library, library.Apply(delta));
        Assert.Equal((0, 0), (FeatureText.ParseDelta(FeatureText.Write(FeatureLibrary.Empty.DeltaSince(0))).To, FeatureLibrary.Empty.Version));
    }

    [Fact]
    public void An_empty_file_is_refused() =>
        Assert.Throws<FeatureFormatException>(() => FeatureText.ParseLibrary("# nothing\n"));
}
