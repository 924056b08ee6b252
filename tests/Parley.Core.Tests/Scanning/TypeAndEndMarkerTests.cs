using Parley.Core.Scanning;
using Parley.Core.Scanning.Structure;
using Parley.Testing.Scanning;
using static Parley.Core.Tests.Scanning.FirstDetection;

namespace Parley.Core.Tests.Scanning;

public class TypeAndEndMarkerTests
{
    public static TheoryData<string, MediaFormat, string, string> CleanFiles => new()
    {
        { "png", MediaFormat.Png, "image/png", "a.png" },
        { "jpeg", MediaFormat.Jpeg, "image/jpeg", "a.JPG" },
        { "jpeg-thumbnail", MediaFormat.Jpeg, "image/jpeg", "a.jpeg" },
        { "gif", MediaFormat.Gif, "image/gif", "a.gif" },
        { "webp", MediaFormat.WebP, "image/webp", "a.webp" },
        { "svg", MediaFormat.Svg, "image/svg+xml", "a.svg" },
        { "mp4", MediaFormat.Mp4, "video/mp4", "a.mp4" },
        { "mov", MediaFormat.QuickTime, "video/quicktime", "a.mov" },
    };

    private static byte[] Clean(string kind) => kind switch
    {
        "png" => MediaSamples.Png(),
        "jpeg" => MediaSamples.Jpeg(),
        "jpeg-thumbnail" => MediaSamples.JpegWithThumbnail(),
        "gif" => MediaSamples.Gif(),
        "webp" => MediaSamples.WebP(),
        "svg" => MediaSamples.Svg(),
        "mp4" => MediaSamples.Mp4(),
        "mov" => MediaSamples.Mp4("qt  "),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(CleanFiles))]
    public void Clean_files_pass_with_their_format(string kind, MediaFormat format, string mediaType, string name)
    {
        var (report, findings) = Run(Clean(kind), mediaType, name);
        Assert.Equal(format, report.Format);
        Assert.Empty(findings);
        Assert.Empty(report.Payloads);
    }

    [Fact]
    public void Declared_sizes_are_read_from_the_headers()
    {
        Assert.Equal(new PictureSize(16, 16), Run(MediaSamples.Png(), null, null).Report.Size);
        Assert.Equal(new PictureSize(32, 24), Run(MediaSamples.Jpeg(), null, null).Report.Size);
        Assert.Equal(new PictureSize(64, 48), Run(MediaSamples.JpegWithThumbnail(), null, null).Report.Size);
        Assert.Equal(new PictureSize(20, 10), Run(MediaSamples.WebP(20, 10), null, null).Report.Size);
        Assert.Equal(new PictureSize(300, 200), Run(MediaSamples.WebPClaiming(300, 200), null, null).Report.Size);
    }

    [Fact]
    public void A_jpeg_that_is_really_html_is_a_type_mismatch()
    {
        var (report, findings) = Run(MediaSamples.Html, "image/jpeg", "cat.jpg");
        Assert.Equal(MediaFormat.Html, report.Format);
        Assert.Contains(findings, f => f.Code == ScanFindingCodes.TypeMismatch && f.Detail.Contains("HTML", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("image/jpeg", "a.png")]
    [InlineData("image/png", "a.gif")]
    [InlineData("image/png", "a.png.exe")]
    [InlineData("video/mp4", null)]
    public void A_picture_declared_or_named_as_something_else_is_a_type_mismatch(string mediaType, string? name) =>
        Assert.Equal([ScanFindingCodes.TypeMismatch], Codes(MediaSamples.Png(), mediaType, name));

    [Fact]
    public void Archives_and_executables_are_no_media_and_unknown_bytes_are_unknown()
    {
        Assert.Contains(ScanFindingCodes.TypeMismatch, Codes(MediaSamples.Zip(), "image/png", "a.png"));
        Assert.Contains(ScanFindingCodes.TypeMismatch, Codes(MediaSamples.ElfHeader(), null, "a.png"));
        Assert.Contains(ScanFindingCodes.TypeMismatch, Codes(MediaSamples.ShellScript, null, "a.png"));
        Assert.Equal([ScanFindingCodes.TypeUnknown], Codes([1, 2, 3, 4, 5, 6, 7, 8], null, "a.png"));
    }

    [Fact]
    public void A_script_after_a_png_is_data_after_the_end_with_its_range()
    {
        var png = MediaSamples.Png();
        var (report, findings) = Run([.. png, .. MediaSamples.ShellScript], "image/png", "a.png");
        Assert.Equal([ScanFindingCodes.DataAfterEnd, ScanFindingCodes.EmbeddedScript], findings.Select(f => f.Code).Order());
        Assert.Equal(new ByteRange(png.Length, MediaSamples.ShellScript.Length), Assert.Single(report.Payloads));
    }

    [Fact]
    public void A_zip_after_iend_is_data_after_the_end_and_an_embedded_archive() =>
        Assert.Equal([ScanFindingCodes.DataAfterEnd, ScanFindingCodes.EmbeddedArchive], Codes([.. MediaSamples.Png(), .. MediaSamples.Zip()]));

    [Fact]
    public void Data_after_a_jpeg_eoi_is_found_but_a_thumbnail_inside_exif_is_not()
    {
        var jpeg = MediaSamples.Jpeg();
        var (report, _) = Run([.. jpeg, .. MediaSamples.Zip()], null, null);
        Assert.Equal(new ByteRange(jpeg.Length, MediaSamples.Zip().Length), Assert.Single(report.Payloads));
        Assert.Empty(Codes(MediaSamples.JpegWithThumbnail()));
    }

    [Fact]
    public void Data_after_a_gif_trailer_and_after_a_webp_riff_is_found()
    {
        Assert.Equal([ScanFindingCodes.DataAfterEnd], Codes([.. MediaSamples.Gif(), .. "hidden"u8.ToArray()]));
        Assert.Equal([ScanFindingCodes.DataAfterEnd], Codes([.. MediaSamples.WebP(), .. "hidden"u8.ToArray()]));
    }
}
