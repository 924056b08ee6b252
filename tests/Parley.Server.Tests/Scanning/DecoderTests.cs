using Parley.Core.Scanning;
using Parley.Server.Scanning;
using Parley.Server.Views;
using SkiaSharp;
using static Parley.Server.Tests.Scanning.TestScanner;

namespace Parley.Server.Tests.Scanning;

/// <summary>Both decoders of each media family, through a real worker process: clean files pass, broken ones say how.</summary>
public sealed class DecoderTests : IAsyncLifetime
{
    private readonly TestScanner _scanner = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _scanner.DisposeAsync();

    public static TheoryData<string, string> CleanPictures => new()
    {
        { "png", "image/png" }, { "jpeg", "image/jpeg" }, { "webp", "image/webp" }, { "gif", "image/gif" },
    };

    [Theory]
    [MemberData(nameof(CleanPictures))]
    public async Task A_clean_picture_passes_through_both_decoders(string format, string mediaType)
    {
        var file = format switch
        {
            "png" => TestMedia.Png(),
            "jpeg" => TestMedia.Jpeg(),
            "webp" => TestMedia.WebP(),
            _ => TestMedia.AnimatedGif(),
        };
        AssertClean(await _scanner.ScanAsync(file, mediaType), "skia", "magick");
    }

    [Fact]
    public async Task A_truncated_png_is_truncated_to_skia_and_broken_to_magick()
    {
        var result = await _scanner.ScanAsync(TestMedia.Truncated(TestMedia.Png()), "image/png");
        AssertFinding(result, ScanFindingCodes.StructureTruncated, "skia");
        Assert.Contains(result.Findings, f => f.Detector == "magick" && f.Code is ScanFindingCodes.StructureTruncated or ScanFindingCodes.StructureMalformed);
    }

    [Fact]
    public async Task A_truncated_jpeg_is_truncated_to_both_decoders()
    {
        // Skia's GetPixels reports IncompleteInput; ImageMagick only warns, and the warning is what counts.
        var result = await _scanner.ScanAsync(TestMedia.Truncated(TestMedia.Jpeg()), "image/jpeg");
        AssertFinding(result, ScanFindingCodes.StructureTruncated, "skia");
        AssertFinding(result, ScanFindingCodes.StructureTruncated, "magick");
    }

    [Fact]
    public async Task A_png_with_scrambled_image_data_is_malformed()
    {
        var png = TestMedia.Picture(SKEncodedImageFormat.Png, 64, 64);
        var idat = png.AsSpan().IndexOf("IDAT"u8) + 8;
        for (var i = idat; i < idat + 40; i++) png[i] ^= 0x5A;
        var result = await _scanner.ScanAsync(png, "image/png");
        AssertFinding(result, ScanFindingCodes.StructureMalformed, "skia");
        Assert.Contains(result.Findings, f => f.Detector == "magick");
    }

    [Fact]
    public async Task A_pixel_flood_is_refused_from_its_header_without_allocating_its_declared_size()
    {
        var flood = TestMedia.PixelFlood();
        Assert.True(flood.Length < 2048, "the flood is a small file");
        var result = await _scanner.ScanAsync(flood, "image/png");

        var finding = AssertFinding(result, ScanFindingCodes.DimensionsTooLarge, "skia");
        Assert.Contains("60000×60000", finding.Detail);
        // 60000×60000 RGBA is 14.4 GB; the worker's whole life so far (runtime, both libraries) stayed far below it.
        Assert.InRange(result.PeakMemoryBytes, 1, 400L * 1024 * 1024);
    }

    [Fact]
    public async Task A_picture_only_one_decoder_reads_is_a_disagreement()
    {
        var result = await _scanner.ScanAsync(TestMedia.Tiff(), "image/tiff");
        var finding = AssertFinding(result, ScanFindingCodes.DecodersDisagree, "skia+magick");
        Assert.Contains("ImageMagick decodes it (32×32)", finding.Detail);
    }

    [Fact]
    public async Task A_large_jpeg_decoded_at_an_eighth_by_both_decoders_passes_with_its_full_canvas()
    {
        // Both decode 200×150; each must still answer the 1600×1200 canvas, or they would disagree with each other.
        var jpeg = TestMedia.Picture(SKEncodedImageFormat.Jpeg, 1600, 1200);
        AssertClean(await _scanner.ScanAsync(jpeg, "image/jpeg"), "skia", "magick");
    }

    [Fact]
    public async Task A_truncated_large_jpeg_is_still_truncated_to_both_decoders_at_an_eighth()
    {
        // DCT scaling skips inverse-transform work, not entropy data: the missing half of the scan is noticed.
        var result = await _scanner.ScanAsync(TestMedia.Truncated(TestMedia.Picture(SKEncodedImageFormat.Jpeg, 1600, 1200)), "image/jpeg");
        AssertFinding(result, ScanFindingCodes.StructureTruncated, "skia");
        AssertFinding(result, ScanFindingCodes.StructureTruncated, "magick");
    }

    [Fact]
    public async Task A_clean_video_passes_ffprobe_which_decodes_every_frame()
    {
        AssertClean(await _scanner.ScanAsync(await TestMedia.Mp4(), "video/mp4"), "ffprobe");
    }

    [Fact]
    public async Task Decoding_a_clean_video_reads_the_container_facts_view_counting_needs()
    {
        var video = await TestMedia.Mp4();

        var scanned = await _scanner.ScanAsync(video, "video/mp4");
        var truncated = await _scanner.ScanAsync(TestMedia.Truncated(video), "video/mp4");

        // The same facts the views' own probe reads from the bytes, so it need not run for a scanned video.
        var probed = await VideoProber.ProbeAsync(new MemoryStream(video), video.Length, CancellationToken.None);
        Assert.True(probed.Playable);
        Assert.Equal(probed, VideoProber.From(Assert.IsType<ContainerFacts>(scanned.Container), video.Length));
        Assert.Null(truncated.Container);
    }

    [Fact]
    public async Task Clean_audio_passes_ffprobe()
    {
        AssertClean(await _scanner.ScanAsync(await TestMedia.Wav(), "audio/wav"), "ffprobe");
    }

    [Fact]
    public async Task A_truncated_video_is_caught_while_decoding()
    {
        // The index (first, +faststart) still opens; the frames it lists run past the end of the data.
        var result = await _scanner.ScanAsync(TestMedia.Truncated(await TestMedia.Mp4()), "video/mp4");
        AssertFinding(result, ScanFindingCodes.StructureTruncated, "ffprobe");
    }

    [Fact]
    public async Task A_video_with_frames_beyond_the_pixel_limit_is_refused_before_decoding()
    {
        // 320×240 is 76800 pixels: over a limit of 50000, FFmpeg's decoder refuses to open the stream at all.
        await using var strict = new TestScanner(o => o.MaxPixels = 50_000);
        var result = await strict.ScanAsync(await TestMedia.Mp4(), "video/mp4");
        AssertFinding(result, ScanFindingCodes.DimensionsTooLarge, "ffprobe");
        Assert.DoesNotContain(result.Findings, f => f.Code != ScanFindingCodes.DimensionsTooLarge);
    }

    [Fact]
    public async Task A_video_within_the_pixel_limit_but_with_a_side_beyond_it_is_refused_from_its_header()
    {
        await using var strict = new TestScanner(o => o.MaxSide = 200);
        var result = await strict.ScanAsync(await TestMedia.Mp4(), "video/mp4");
        var finding = AssertFinding(result, ScanFindingCodes.DimensionsTooLarge, "ffprobe");
        Assert.Contains("320×240", finding.Detail);
    }

    [Fact]
    public async Task A_video_that_is_no_container_fails_ffprobe()
    {
        var result = await _scanner.ScanAsync("<html><script>alert(1)</script></html>"u8.ToArray(), "video/mp4");
        AssertFinding(result, ScanFindingCodes.DecoderFailed, "ffprobe");
    }
}
