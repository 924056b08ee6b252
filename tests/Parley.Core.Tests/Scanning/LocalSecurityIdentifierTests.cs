using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Parley.Core.Scanning.Identifier;
using Parley.Core.Transfer;

namespace Parley.Core.Tests.Scanning;

/// <summary>The identifier's test vector is the one published in docs/scanning.md (made with Python's cryptography package).</summary>
public class LocalSecurityIdentifierTests
{
    private static readonly IReadOnlyDictionary<string, string> Vector = DocVector.Read("scanning.md");
    private static readonly ContentId Content = ContentId.Of(Encoding.ASCII.GetBytes(Vector["content"]));
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.Parse(Vector["signed at"], CultureInfo.InvariantCulture);
    private static readonly long Version = long.Parse(Vector["library version"], CultureInfo.InvariantCulture);

    private readonly FakeTimeProvider _time = new(SignedAt.AddMinutes(5));

    private IdentifierVerifier Verifier() => new(_time, maxAge: TimeSpan.FromHours(24), maxClockSkew: TimeSpan.FromMinutes(10));

    private static ECDsa VectorKey() => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        D = Convert.FromHexString(Vector["private key (d, hex)"]),
    });

    [Fact]
    public void The_documented_vector_has_the_documented_layout_and_verifies()
    {
        Assert.Equal(Vector["content id"], Content.ToString());
        Assert.Equal(long.Parse(Vector["signed at (unix ms)"], CultureInfo.InvariantCulture), SignedAt.ToUnixTimeMilliseconds());
        Assert.Equal(Vector["signed bytes (hex)"], Convert.ToHexStringLower(LocalSecurityIdentifier.SignedBytes(Content, Version, SignedAt)));
        using var key = VectorKey();
        Assert.Equal(Vector["public key (SPKI, base64)"], Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()));

        var check = Verifier().Verify(Vector["identifier"], Vector["public key (SPKI, base64)"], Content, minimumLibraryVersion: Version);
        Assert.Equal(IdentifierStatus.Valid, check.Status);
        Assert.Equal(Vector["signature (hex)"], Convert.ToHexStringLower(check.Identifier!.Signature));
        Assert.Equal(Vector["identifier"], check.Identifier.Encode());
    }

    [Fact]
    public void An_identifier_made_here_verifies_and_encodes_to_151_characters()
    {
        using var key = VectorKey();
        var made = LocalSecurityIdentifier.Create(Content, 7, _time.GetUtcNow(), data => key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        var text = made.Encode();
        Assert.Equal(151, text.Length);
        Assert.Equal(IdentifierStatus.Valid, Verifier().Verify(text, key, Content, 7).Status);
    }

    [Fact]
    public void A_changed_byte_or_another_key_is_forged()
    {
        var bytes = Base64Url.DecodeFromChars(Vector["identifier"]);
        foreach (var at in new[] { 1, 32, 40, 47, 49, 80, 112 })
        {
            var forged = bytes.ToArray();
            forged[at] ^= 0x01;
            var text = Base64Url.EncodeToString(forged);
            Assert.Equal(IdentifierStatus.Forged, Verifier().Verify(text, Vector["public key (SPKI, base64)"], Content, 0).Status);
        }
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(IdentifierStatus.Forged, Verifier().Verify(Vector["identifier"], other, Content, 0).Status);
    }

    [Fact]
    public void A_genuine_identifier_for_other_bytes_is_other_content()
    {
        var check = Verifier().Verify(Vector["identifier"], Vector["public key (SPKI, base64)"], ContentId.Of("other bytes"u8), 0);
        Assert.Equal(IdentifierStatus.OtherContent, check.Status);
        Assert.Contains(Vector["content id"], check.Detail);
    }

    [Fact]
    public void An_old_library_version_or_an_old_or_future_time_is_stale()
    {
        Assert.Equal(IdentifierStatus.Stale, VerifyAt(SignedAt, Version + 1));
        Assert.Equal(IdentifierStatus.Stale, VerifyAt(SignedAt.AddHours(24).AddMilliseconds(1), Version));
        Assert.Equal(IdentifierStatus.Valid, VerifyAt(SignedAt.AddHours(24), Version));
        Assert.Equal(IdentifierStatus.Valid, VerifyAt(SignedAt.AddMinutes(-10), Version));
        Assert.Equal(IdentifierStatus.Stale, VerifyAt(SignedAt.AddMinutes(-10).AddMilliseconds(-1), Version));
    }

    private static IdentifierStatus VerifyAt(DateTimeOffset now, long minimumVersion) =>
        new IdentifierVerifier(new FakeTimeProvider(now), TimeSpan.FromHours(24), TimeSpan.FromMinutes(10))
            .Verify(Vector["identifier"], Vector["public key (SPKI, base64)"], Content, minimumVersion).Status;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not an identifier")]
    public void Anything_else_is_malformed(string? text) =>
        Assert.Equal(IdentifierStatus.Malformed, Verifier().Verify(text, Vector["public key (SPKI, base64)"], Content, 0).Status);

    [Fact]
    public void Truncated_padded_wrong_alphabet_or_wrong_format_version_is_malformed()
    {
        var good = Vector["identifier"];
        var bytes = Base64Url.DecodeFromChars(good);
        bytes[0] = 2;
        var otherVersion = Base64Url.EncodeToString(bytes);
        foreach (var text in new[] { good[..^1], good + "A", good + "=", good.Replace('-', '+'), otherVersion })
            Assert.Equal(IdentifierStatus.Malformed, Verifier().Verify(text, Vector["public key (SPKI, base64)"], Content, 0).Status);
    }
}
