using System.Text;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Structure;
using Parley.Testing.Scanning;
using static Parley.Core.Tests.Scanning.FirstDetection;

namespace Parley.Core.Tests.Scanning;

public class StructureDefectTests
{
    public static TheoryData<string> Floods => ["png", "jpeg", "gif-screen", "gif-frame", "webp", "png-pixels"];

    private static byte[] Flood(string kind) => kind switch
    {
        "png" => MediaSamples.PngClaiming(60000, 60000),
        "png-pixels" => MediaSamples.PngClaiming(19000, 19000),
        "jpeg" => MediaSamples.JpegClaiming(60000, 60000),
        "gif-screen" => MediaSamples.Gif(60000, 60000, 1, 1),
        "gif-frame" => MediaSamples.Gif(1, 1, 60000, 60000),
        "webp" => MediaSamples.WebPClaiming(60000, 60000),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Floods))]
    public void Declared_dimensions_beyond_the_limits_are_refused_from_the_header(string kind) =>
        Assert.Contains(ScanFindingCodes.DimensionsTooLarge, Codes(Flood(kind)));

    [Fact]
    public void The_pixel_flood_is_judged_without_allocating_its_declared_size()
    {
        var flood = MediaSamples.PngClaiming(60000, 60000);
        Codes(flood);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.Contains(ScanFindingCodes.DimensionsTooLarge, Codes(flood));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 2_000_000, "The check allocated more than 2 MB for a 3.6-gigapixel claim.");
    }

    [Fact]
    public void Limits_are_configurable()
    {
        var png = MediaSamples.Png(100, 10);
        Assert.Empty(Codes(png));
        Assert.Equal([ScanFindingCodes.DimensionsTooLarge], Codes(png, limits: new ScanLimits { MaxWidth = 99 }));
        Assert.Equal([ScanFindingCodes.DimensionsTooLarge], Codes(png, limits: new ScanLimits { MaxPixels = 999 }));
        Assert.Equal([ScanFindingCodes.DimensionsTooLarge], Codes(MediaSamples.Gif(10, 10, 10, 10), limits: new ScanLimits { MaxAnimationPixels = 99 }));
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    [InlineData("gif")]
    [InlineData("webp")]
    [InlineData("mp4")]
    public void A_file_cut_short_is_truncated(string kind)
    {
        byte[] whole = kind switch
        {
            "png" => MediaSamples.Png(64, 64),
            "jpeg" => MediaSamples.Jpeg(64, 64),
            "gif" => MediaSamples.Gif(),
            "webp" => MediaSamples.WebP(64, 64),
            _ => MediaSamples.Mp4(),
        };
        Assert.Equal([ScanFindingCodes.StructureTruncated], Codes(whole[..(whole.Length * 2 / 3 + 1)]));
        Assert.Equal([ScanFindingCodes.StructureTruncated], Codes(whole[..^1]));
    }

    [Fact]
    public void A_png_chunk_with_a_wrong_crc_is_malformed()
    {
        var png = MediaSamples.Png();
        var idat = Encoding.ASCII.GetBytes("IDAT");
        var at = png.AsSpan().IndexOf(idat) + 6;
        png[at] ^= 0x55;
        var finding = Assert.Single(Run(png, null, null).Findings);
        Assert.Equal(ScanFindingCodes.StructureMalformed, finding.Code);
        Assert.Contains("CRC", finding.Detail);
    }

    [Fact]
    public void Malformed_structures_are_found()
    {
        byte[] noIhdr = [.. MediaSamples.PngSignature, .. MediaSamples.Chunk("tEXt", "a\0b"u8.ToArray()), .. MediaSamples.Chunk("IEND", [])];
        Assert.Equal([ScanFindingCodes.StructureMalformed], Codes(noIhdr));
        var jpeg = MediaSamples.Jpeg();
        var afterApp0 = 4 + (jpeg[4] << 8 | jpeg[5]);
        Assert.Equal([ScanFindingCodes.StructureMalformed], Codes([.. jpeg[..afterApp0], 0x12, 0x34, .. jpeg[afterApp0..]]));
        byte[] noMovie = [.. MediaSamples.Box("ftyp", "isom\0\0\0\0"u8.ToArray()), .. MediaSamples.Box("mdat", new byte[10])];
        Assert.Equal([ScanFindingCodes.StructureMalformed], Codes(noMovie));
        byte[] badBox = [.. MediaSamples.Mp4(), 0, 0, 0, 4, 0x01, 0x02, 0x03, 0x04];
        Assert.Equal([ScanFindingCodes.StructureMalformed], Codes(badBox));
        var gif = MediaSamples.Gif();
        Assert.Equal([ScanFindingCodes.StructureMalformed], Codes([.. gif[..^1], 0x99, 0x3B]));
    }
}
