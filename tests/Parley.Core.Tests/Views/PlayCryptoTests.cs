using System.Buffers.Text;
using System.Security.Cryptography;
using Parley.Core.Views;

namespace Parley.Core.Tests.Views;

public sealed class PlayCryptoTests : IDisposable
{
    private const string PlayId = "p_crypto";

    private readonly PlayShare _client = PlayShare.Create();
    private readonly PlayShare _server = PlayShare.Create();
    private readonly PlayKey _clientKey;
    private readonly PlayKey _serverKey;
    private readonly PlayReport _report = new(PlayReportFlags.Playing, 3, 1_234_567, 15_000, 1_765_000_000_000);

    public PlayCryptoTests()
    {
        var transcript = Transcript(_client.Public, _server.Public);
        _clientKey = _client.DeriveKey(_server.Public, transcript);
        _serverKey = _server.DeriveKey(_client.Public, transcript);
    }

    private static PlayTranscript Transcript(string client, string server) =>
        new(PlayId, "u_1", "d_1", "m_1", "c_1", client, server, 5000, 15000);

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
        _clientKey.Dispose();
        _serverKey.Dispose();
    }

    [Fact]
    public void Both_sides_derive_the_same_key_and_a_sealed_report_opens()
    {
        Assert.Equal(_clientKey.Bytes.ToArray(), _serverKey.Bytes.ToArray());
        var envelope = _clientKey.Seal(PlayId, _report);
        Assert.Equal(SealedReport.Length, envelope.Length);
        Assert.True(_serverKey.TryOpen(PlayId, envelope, out var opened));
        Assert.Equal(_report, opened);
    }

    [Fact]
    public void Another_transcript_gives_another_key()
    {
        using var other = _client.DeriveKey(_server.Public, Transcript(_client.Public, _server.Public) with { Media = "m_2" });
        Assert.NotEqual(_clientKey.Bytes.ToArray(), other.Bytes.ToArray());
        Assert.False(other.TryOpen(PlayId, _clientKey.Seal(PlayId, _report), out _));
    }

    [Fact]
    public void A_report_does_not_open_for_another_play() =>
        Assert.False(_serverKey.TryOpen("p_other", _clientKey.Seal(PlayId, _report), out _));

    [Fact]
    public void A_report_does_not_open_with_another_counter_outside()
    {
        var envelope = _clientKey.Seal(PlayId, _report);
        envelope[3] ^= 0x01;
        Assert.False(_serverKey.TryOpen(PlayId, envelope, out _));
    }

    [Fact]
    public void A_report_sealed_with_another_counter_inside_than_outside_does_not_open()
    {
        // The counter outside is authenticated; a key holder who seals counter 4 and writes 3 outside is still refused.
        var envelope = _clientKey.Seal(PlayId, _report with { Counter = 4 });
        envelope[3] = 3;
        Assert.False(_serverKey.TryOpen(PlayId, envelope, out _));
    }

    [Theory]
    [InlineData(SealedReport.NonceOffset)]
    [InlineData(SealedReport.CiphertextOffset + 5)]
    [InlineData(SealedReport.TagOffset + 15)]
    public void A_flipped_bit_anywhere_is_refused(int offset)
    {
        var envelope = _clientKey.Seal(PlayId, _report);
        envelope[offset] ^= 0x80;
        Assert.False(_serverKey.TryOpen(PlayId, envelope, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(SealedReport.Length - 1)]
    [InlineData(SealedReport.Length + 1)]
    public void A_truncated_or_padded_envelope_is_refused(int length)
    {
        var envelope = _clientKey.Seal(PlayId, _report);
        var changed = new byte[length];
        envelope.AsSpan(0, Math.Min(length, envelope.Length)).CopyTo(changed);
        Assert.False(_serverKey.TryOpen(PlayId, changed, out _));
    }

    [Fact]
    public void Another_key_does_not_open_it()
    {
        using var stranger = PlayKey.FromBytes(RandomNumberGenerator.GetBytes(PlayKey.KeyLength));
        Assert.False(stranger.TryOpen(PlayId, _clientKey.Seal(PlayId, _report), out _));
    }

    [Fact]
    public void A_key_kept_as_bytes_opens_what_the_derived_key_sealed()
    {
        using var kept = PlayKey.FromBytes(_serverKey.Bytes);
        Assert.True(kept.TryOpen(PlayId, _clientKey.Seal(PlayId, _report), out var opened));
        Assert.Equal(_report, opened);
    }

    [Fact]
    public void An_overlong_play_id_is_refused_not_overflowed()
    {
        var id = "p_" + new string('x', 300);
        Assert.Throws<ArgumentException>(() => _clientKey.Seal(id, _report));
        Assert.False(_serverKey.TryOpen(id, _clientKey.Seal(PlayId, _report), out _));
    }

    [Fact]
    public void Fresh_shares_are_valid() => Assert.True(PlayShare.IsValid(_client.Public));

    public static TheoryData<string?> InvalidShares()
    {
        var point = Base64Url.DecodeFromChars(PlayShare.Create().Public);
        var offCurve = (byte[])point.Clone();
        offCurve[64] ^= 0x01;
        var compressed = new byte[33];
        compressed[0] = (byte)(0x02 | (point[64] & 1));
        point.AsSpan(1, 32).CopyTo(compressed.AsSpan(1));
        var badPrefix = (byte[])point.Clone();
        badPrefix[0] = 0x05;
        return new()
        {
            null,
            "",
            Base64Url.EncodeToString(offCurve),
            Base64Url.EncodeToString(compressed),
            Base64Url.EncodeToString(point[..64]),
            Base64Url.EncodeToString([.. point, 0]),
            Base64Url.EncodeToString(badPrefix),
            Base64Url.EncodeToString(new byte[65]),
            "not base64url at all!",
        };
    }

    [Theory]
    [MemberData(nameof(InvalidShares))]
    public void Invalid_shares_are_refused(string? share)
    {
        Assert.False(PlayShare.IsValid(share));
        Assert.Throws<CryptographicException>(() => _client.DeriveKey(share!, Transcript(_client.Public, "x")));
    }
}
