using System.Security.Cryptography;
using Parley.Core.Transfer;

namespace Parley.Core.Tests.Transfer;

public sealed class ContentIdTests
{
    [Fact]
    public void The_content_id_of_abc_is_its_sha256()
    {
        // FIPS 180-2 test vector for SHA-256("abc").
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ContentId.Of("abc"u8).ToString());
    }

    [Fact]
    public void Parsing_round_trips()
    {
        var id = ContentId.Of("hello"u8);

        Assert.Equal(id, ContentId.Parse(id.ToString()));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256:")]
    [InlineData("md5:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015adz")]
    [InlineData("sha256:../../../../../../etc/passwd/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Malformed_ids_are_refused(string? text) =>
        Assert.False(ContentId.TryParse(text, out _));

    [Fact]
    public async Task Hashing_a_stream_matches_hashing_the_bytes()
    {
        var data = RandomNumberGenerator.GetBytes(3 * 1024 * 1024 + 17);

        var (id, size) = await ContentScanner.HashAsync(new MemoryStream(data));

        Assert.Equal(ContentId.Of(data), id);
        Assert.Equal(data.Length, size);
    }
}
