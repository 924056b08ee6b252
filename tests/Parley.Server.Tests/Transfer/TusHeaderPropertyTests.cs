using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Parley.Server.Transfer;

namespace Parley.Server.Tests.Transfer;

/// <summary>
/// Property tests of the tus header parsers (issue 14, "what keeps it from coming back"): seeded
/// random inputs, a bounded number of them; every parser answers for every input and never throws,
/// and what it accepts round-trips.
/// </summary>
public sealed class TusHeaderPropertyTests
{
    private const int Cases = 5000;

    /// <summary>Characters that trip lenient parsers: signs, spaces, separators, exponents, non-ASCII digits, control and surrogate characters.</summary>
    private static readonly string Alphabet = "0123456789 +-,.;=eExX\t\r\n\0abcsha1256/+=_" + "\u0663\u00A0\u2007\uFF11\uD800\u00E9";

    private static string Garbage(Random random, int maxLength = 40)
    {
        var text = new StringBuilder();
        for (var i = random.Next(maxLength + 1); i > 0; i--) text.Append(Alphabet[random.Next(Alphabet.Length)]);
        return text.ToString();
    }

    [Fact]
    public void Sizes_accept_exactly_non_negative_decimal_digits()
    {
        var random = new Random(1401);
        for (var i = 0; i < Cases; i++)
        {
            var value = random.NextInt64(0, long.MaxValue);
            Assert.True(TusHeaders.TryParseSize(value.ToString(CultureInfo.InvariantCulture), out var parsed));
            Assert.Equal(value, parsed);

            var text = Garbage(random);
            if (TusHeaders.TryParseSize(text, out var accepted))
            {
                Assert.All(text, c => Assert.True(char.IsAsciiDigit(c)));
                Assert.Equal(accepted, long.Parse(text, CultureInfo.InvariantCulture));
            }
        }
        foreach (var refused in new[] { null, "", "-1", "+1", " 1", "1 ", "1,000", "1e3", "0x10", "99999999999999999999", "\u0663" })
            Assert.False(TusHeaders.TryParseSize(refused, out _));
    }

    [Fact]
    public void Metadata_round_trips_and_garbage_never_throws()
    {
        var random = new Random(1402);
        for (var i = 0; i < Cases; i++)
        {
            var expected = new Dictionary<string, string>();
            for (var n = random.Next(4); n > 0; n--)
            {
                var key = new string(Enumerable.Range(0, random.Next(1, 12)).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
                expected.TryAdd(key, Garbage(random).Replace("\uD800", ""));
            }
            var header = string.Join(",", expected.Select(p => $"{p.Key} {Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))}"));
            Assert.Equal(expected, TusHeaders.ParseMetadata(header));

            var parsed = TusHeaders.ParseMetadata(Garbage(random, 80));
            Assert.All(parsed.Keys, key => Assert.DoesNotContain(',', key));
        }
        Assert.Empty(TusHeaders.ParseMetadata(null));
        Assert.Equal("", TusHeaders.ParseMetadata("flag")["flag"]);
        Assert.DoesNotContain("transferId", TusHeaders.ParseMetadata("transferId not-base64!"));
    }

    [Fact]
    public void Checksums_accept_only_a_known_algorithm_with_a_digest_of_its_length()
    {
        var random = new Random(1403);
        for (var i = 0; i < Cases; i++)
        {
            var (name, length) = random.Next(2) == 0 ? ("sha1", 20) : ("sha256", 32);
            var digest = RandomNumberGenerator.GetBytes(length);
            Assert.True(TusHeaders.TryParseChecksum($"{name} {Convert.ToBase64String(digest)}", out var hash, out var expected));
            hash!.Dispose();
            Assert.Equal(digest, expected);
            Assert.False(TusHeaders.TryParseChecksum($"{name} {Convert.ToBase64String(digest[..^1])}", out _, out _));

            var text = Garbage(random);
            if (TusHeaders.TryParseChecksum(text, out var accepted, out _))
            {
                Assert.True(text == "" || accepted is not null);
                accepted?.Dispose();
            }
        }
        Assert.False(TusHeaders.TryParseChecksum("md5 AAAA", out _, out _));
        Assert.False(TusHeaders.TryParseChecksum("sha1", out _, out _));
        Assert.True(TusHeaders.TryParseChecksum(null, out var none, out _));
        Assert.Null(none);
    }

    [Fact]
    public void Only_tus_1_0_0_is_spoken()
    {
        var random = new Random(1404);
        for (var i = 0; i < Cases; i++)
        {
            var text = Garbage(random, 8);
            Assert.Equal(text == "1.0.0", TusHeaders.IsSupportedVersion(text));
        }
        Assert.True(TusHeaders.IsSupportedVersion("1.0.0"));
        Assert.False(TusHeaders.IsSupportedVersion(" 1.0.0"));
        Assert.False(TusHeaders.IsSupportedVersion(null));
    }
}
