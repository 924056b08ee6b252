using System.Text;
using Parley.Core.Scanning;
using Parley.Testing.Scanning;
using static Parley.Core.Tests.Scanning.FirstDetection;

namespace Parley.Core.Tests.Scanning;

public class EmbeddedAndSvgTests
{
    private static byte[] PngCarrying(byte[] data) => MediaSamples.Png(16, 16, ("zzZz", data));

    [Fact]
    public void An_elf_inside_a_png_chunk_is_an_embedded_executable() =>
        Assert.Equal([ScanFindingCodes.EmbeddedExecutable], Codes(PngCarrying([.. "pad"u8, .. MediaSamples.ElfHeader()])));

    [Fact]
    public void A_pe_header_inside_is_an_embedded_executable()
    {
        byte[] pe = [.. "MZ"u8, .. new byte[60], .. "This program cannot be run in DOS mode."u8, .. "PE\0\0"u8, 0x64, 0x86, 0, 0];
        var findings = Run(PngCarrying(pe), null, null).Findings;
        Assert.Equal(ScanFindingCodes.EmbeddedExecutable, Assert.Single(findings).Code);
    }

    [Fact]
    public void A_pdf_inside_is_an_embedded_pdf() =>
        Assert.Equal([ScanFindingCodes.EmbeddedPdf], Codes(PngCarrying("%PDF-1.7\n1 0 obj"u8.ToArray())));

    [Fact]
    public void Html_and_script_markers_inside_are_found_in_any_case() =>
        Assert.Equal([ScanFindingCodes.EmbeddedHtml, ScanFindingCodes.EmbeddedScript],
            Codes(PngCarrying("Comment\0<HTML><ScRiPt>alert(1)</script>"u8.ToArray())));

    [Fact]
    public void Archives_inside_are_embedded_archives()
    {
        Assert.Equal([ScanFindingCodes.EmbeddedArchive], Codes(PngCarrying([.. "x"u8, .. MediaSamples.Zip()])));
        Assert.Equal([ScanFindingCodes.EmbeddedArchive], Codes(PngCarrying([.. "x"u8, 0x52, 0x61, 0x72, 0x21, 0x1A, 0x07, 0x01, 0x00])));
    }

    [Fact]
    public void A_magic_number_alone_without_its_header_fields_is_not_enough()
    {
        // "PK\x03\x04" and "\x7fELF" followed by impossible header fields, as random picture data could hold.
        Assert.Empty(Codes(PngCarrying([1, 0x50, 0x4B, 0x03, 0x04, 0xEE, 0xEE, 0, 0, 0xEE, 0xEE, 1, 2, 3])));
        Assert.Empty(Codes(PngCarrying([1, 0x7F, 0x45, 0x4C, 0x46, 9, 9, 9, 0])));
    }

    [Fact]
    public void Offsets_name_the_first_place_of_each_kind()
    {
        var png = MediaSamples.Png();
        var finding = Assert.Single(Run([.. png, .. MediaSamples.ElfHeader(), .. MediaSamples.ElfHeader()], null, null).Findings,
            f => f.Code == ScanFindingCodes.EmbeddedExecutable);
        Assert.Contains($"byte {png.Length}.", finding.Detail);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", ScanFindingCodes.SvgScript)]
    [InlineData("<svg:script xlink:href=\"x.js\"/>", ScanFindingCodes.SvgScript)]
    [InlineData("<rect onload=\"alert(1)\"/>", ScanFindingCodes.SvgScript)]
    [InlineData("<a xlink:href=\"javascript:alert(1)\"><text>x</text></a>", ScanFindingCodes.SvgScript)]
    [InlineData("<a href=\"&#106;avascript:alert(1)\"/>", ScanFindingCodes.SvgScript)]
    [InlineData("<image href=\"data:image/svg+xml;base64,PHN2Zz4=\"/>", ScanFindingCodes.SvgScript)]
    [InlineData("<image href=\"https://tracker.invalid/pixel.png\"/>", ScanFindingCodes.SvgExternalReference)]
    [InlineData("<use xlink:href='file:///etc/passwd#x'/>", ScanFindingCodes.SvgExternalReference)]
    [InlineData("<image href=\"//tracker.invalid/p.png\"/>", ScanFindingCodes.SvgExternalReference)]
    [InlineData("<foreignObject><div>x</div></foreignObject>", ScanFindingCodes.SvgExternalReference)]
    [InlineData("<style>@import 'https://x.invalid/a.css';</style>", ScanFindingCodes.SvgExternalReference)]
    [InlineData("<rect style=\"fill:url(http://x.invalid/p)\"/>", ScanFindingCodes.SvgExternalReference)]
    public void Svg_with_script_or_external_references_is_refused(string body, string code) =>
        Assert.Equal([code], Codes(MediaSamples.Svg(body), "image/svg+xml", "a.svg"));

    [Fact]
    public void An_external_entity_in_an_svg_is_refused()
    {
        var svg = "<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&x;</svg>";
        Assert.Contains(ScanFindingCodes.SvgExternalReference, Codes(Encoding.UTF8.GetBytes(svg)));
    }

    [Fact]
    public void Svg_findings_are_found_far_into_a_large_file()
    {
        var padding = string.Concat(Enumerable.Repeat("<rect width=\"1\" height=\"1\"/>\n", 100_000));
        Assert.Equal([ScanFindingCodes.SvgScript], Codes(MediaSamples.Svg(padding + "<script>x()</script>")));
        Assert.Empty(Codes(MediaSamples.Svg(padding)));
    }
}
