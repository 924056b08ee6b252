using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Parley.Core.Views;
using Parley.Testing.Views;

namespace Parley.Core.Tests.Views;

/// <summary>The code reproduces the test vector byte for byte, and docs/views.md publishes the same values.</summary>
public sealed class PlayVectorTests : IDisposable
{
    private static readonly PlayTranscript Transcript = new(PlayVector.PlayId, PlayVector.UserId, PlayVector.DeviceId,
        PlayVector.Media, PlayVector.ContentId, PlayVector.ClientShare, PlayVector.ServerShare, PlayVector.SealedEveryMs, PlayVector.PlainEveryMs);

    private static readonly PlayReport Report = new(PlayReportFlags.Playing, PlayVector.Counter, PlayVector.BytesDownloaded,
        PlayVector.PositionMs, PlayVector.ClientTimeMs);

    private readonly PlayShare _client = PlayShare.FromPrivateKey(Convert.FromHexString(PlayVector.ClientPrivateKey));
    private readonly PlayShare _server = PlayShare.FromPrivateKey(Convert.FromHexString(PlayVector.ServerPrivateKey));

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    [Fact]
    public void The_private_keys_give_the_shares()
    {
        Assert.Equal(PlayVector.ClientShare, _client.Public);
        Assert.Equal(PlayVector.ServerShare, _server.Public);
    }

    [Fact]
    public void The_transcript_and_its_hash_match()
    {
        Assert.Equal(PlayVector.Transcript, Encoding.UTF8.GetString(Transcript.ToBytes()));
        Assert.Equal(PlayVector.TranscriptSha256, Convert.ToHexStringLower(SHA256.HashData(Transcript.ToBytes())));
    }

    [Fact]
    public void Both_sides_derive_the_play_key()
    {
        using var clientKey = _client.DeriveKey(PlayVector.ServerShare, Transcript);
        using var serverKey = _server.DeriveKey(PlayVector.ClientShare, Transcript);
        Assert.Equal(PlayVector.PlayKey, Convert.ToHexStringLower(clientKey.Bytes));
        Assert.Equal(PlayVector.PlayKey, Convert.ToHexStringLower(serverKey.Bytes));
    }

    [Fact]
    public void The_report_and_its_envelope_match()
    {
        Assert.Equal(PlayVector.Report, Convert.ToHexStringLower(Report.ToBytes()));
        using var key = PlayKey.FromBytes(Convert.FromHexString(PlayVector.PlayKey));
        var envelope = key.Seal(PlayVector.PlayId, Report, Convert.FromHexString(PlayVector.Nonce));
        Assert.Equal(PlayVector.SealedReport, Convert.ToHexStringLower(envelope));
        Assert.Equal(PlayVector.SealedReportBase64Url, Base64Url.EncodeToString(envelope));
        Assert.True(key.TryOpen(PlayVector.PlayId, Base64Url.DecodeFromChars(PlayVector.SealedReportBase64Url), out var opened));
        Assert.Equal(Report, opened);
    }

    [Fact]
    public void The_docs_publish_the_same_vector()
    {
        var docs = DocVector.Read("views.md");
        Assert.Equal(PlayVector.ClientPrivateKey, docs["client private key"]);
        Assert.Equal(PlayVector.ClientShare, docs["client share"]);
        Assert.Equal(PlayVector.ServerPrivateKey, docs["server private key"]);
        Assert.Equal(PlayVector.ServerShare, docs["server share"]);
        Assert.Equal(PlayVector.SharedSecret, docs["shared secret"]);
        Assert.Equal(PlayVector.TranscriptSha256, docs["transcript sha-256"]);
        Assert.Equal(PlayVector.PlayKey, docs["play key"]);
        Assert.Equal(PlayVector.Report, docs["report"]);
        Assert.Equal(PlayVector.Nonce, docs["nonce"]);
        Assert.Equal(PlayVector.AssociatedData, docs["associated data"]);
        Assert.Equal(PlayVector.SealedReport, docs["sealed report"]);
        Assert.Equal(PlayVector.SealedReportBase64Url, docs["sealed report base64url"]);
    }
}
