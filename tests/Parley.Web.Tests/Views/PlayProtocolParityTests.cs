using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Parley.Core.Views;
using Parley.Testing.Views;
using Xunit.Abstractions;

namespace Parley.Web.Tests.Views;

/// <summary>
/// The page's play protocol (web/js/views/play-protocol.js, WebCrypto) against Parley.Core.Views: the same transcript
/// bytes, a play key the two sides agree on (the page seals, <see cref="PlayKey.TryOpen"/> opens), the same plain report
/// bytes, the server's P1363 signature verified by the page, and the page's device signature verified by .NET; and
/// docs/views.md's test vector (<see cref="PlayVector"/>) reproduced byte for byte.
/// </summary>
public sealed class PlayProtocolParityTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Protocol = "/js/views/play-protocol.js";

    private static PlayStartedDto Started(string serverShare) => new(
        "p_parity01", "m_parity", "sha256:" + new string('a', 64), "u_parity", "d_parity", serverShare, "", "vk_0000000000000000",
        5000, 15000, 1000, "/api/views/plays/p_parity01/stream?access=x", "video/webm", 75_000, 3000, 200_000, DateTimeOffset.UnixEpoch);

    /// <summary>What the page reads from the start answer (the JSON names, camelCase).</summary>
    private static object ForPage(PlayStartedDto s) => new
    {
        playId = s.PlayId, userId = s.UserId, deviceId = s.DeviceId, media = s.Media, contentId = s.ContentId,
        serverShare = s.ServerShare, sealedEveryMs = s.SealedEveryMs, plainEveryMs = s.PlainEveryMs,
    };

    [Fact]
    public Task A_report_the_page_seals_opens_in_dotnet_and_only_for_its_play_and_counter() => RunAsync(async () =>
    {
        var page = await OpenAsync("parity");
        using var server = PlayShare.Create();
        var started = Started(server.Public);
        var report = new PlayReport(PlayReportFlags.Playing | PlayReportFlags.Seeked, 7, 5_000_000_123, 61_250, 1_767_000_000_123);

        var result = await page.Page.EvaluateAsync<JsonElement>($$"""
            async ({ started, report }) => {
              const p = await import('{{Protocol}}');
              const { toHex } = await import('/js/passphrase/bytes.js');
              const { privateKey, share } = await p.createShare();
              const transcript = p.transcriptBytes(started, share);
              const key = await p.derivePlayKey(privateKey, started.serverShare, transcript);
              const sealed = await p.sealReport(key, started.playId, report);
              const again = await p.sealReport(key, started.playId, report);
              return { share, transcript: toHex(transcript), sealed: p.toBase64Url(sealed), again: p.toBase64Url(again), plain: toHex(p.encodeReport(report)) };
            }
            """, new
        {
            started = ForPage(started),
            report = new { flags = (int)report.Flags, counter = (long)report.Counter, bytesDownloaded = report.BytesDownloaded, positionMs = (long)report.PositionMs, clientTimeMs = report.ClientTimeMs },
        });

        var share = result.GetProperty("share").GetString()!;
        Assert.True(PlayShare.IsValid(share));
        var transcript = PlayTranscript.Of(started, share);
        Assert.Equal(Convert.ToHexStringLower(transcript.ToBytes()), result.GetProperty("transcript").GetString());
        Assert.Equal(Convert.ToHexStringLower(report.ToBytes()), result.GetProperty("plain").GetString());

        using var key = server.DeriveKey(share, transcript);
        var sealedBytes = Base64Url.DecodeFromChars(result.GetProperty("sealed").GetString());
        Assert.Equal(SealedReport.Length, sealedBytes.Length);
        Assert.True(key.TryOpen(started.PlayId, sealedBytes, out var opened));
        Assert.Equal(report, opened);
        // A fresh nonce each time: the same report never seals to the same bytes.
        Assert.NotEqual(result.GetProperty("sealed").GetString(), result.GetProperty("again").GetString());

        // Bound to its play and its counter, and tamper-evident in every part.
        Assert.False(key.TryOpen("p_another", sealedBytes, out _));
        var otherCounter = sealedBytes.ToArray();
        otherCounter[3] ^= 1;
        Assert.False(key.TryOpen(started.PlayId, otherCounter, out _));
        foreach (var at in new[] { SealedReport.NonceOffset, SealedReport.CiphertextOffset + 5, SealedReport.TagOffset + 15 })
        {
            var flipped = sealedBytes.ToArray();
            flipped[at] ^= 0x80;
            Assert.False(key.TryOpen(started.PlayId, flipped, out _), $"byte {at} flipped");
        }
        Assert.False(key.TryOpen(started.PlayId, sealedBytes[..^1], out _));
        // Another client share (another play's key) opens nothing.
        using var stranger = PlayShare.Create();
        using var wrongKey = server.DeriveKey(stranger.Public, transcript);
        Assert.False(wrongKey.TryOpen(started.PlayId, sealedBytes, out _));
    });

    [Fact]
    public Task The_page_verifies_the_view_key_signature_and_dotnet_verifies_the_page_device_signature() => RunAsync(async () =>
    {
        var page = await OpenAsync("signatures");
        using var viewKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = Base64Url.EncodeToString(viewKey.ExportSubjectPublicKeyInfo());
        var keyId = "vk_" + Convert.ToHexStringLower(SHA256.HashData(viewKey.ExportSubjectPublicKeyInfo()))[..16];
        using var server = PlayShare.Create();
        using var client = PlayShare.Create();
        var transcript = PlayTranscript.Of(Started(server.Public), client.Public).ToBytes();
        var signature = viewKey.SignData(transcript, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var otherSignature = otherKey.SignData(transcript, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var derSignature = viewKey.SignData(transcript, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var altered = transcript.ToArray();
        altered[^1] ^= 1;

        var result = await page.Page.EvaluateAsync<JsonElement>($$"""
            async ({ publicKey, transcript, altered, signature, otherSignature, derSignature, media, clientShare }) => {
              const p = await import('{{Protocol}}');
              const { createDeviceKey } = await import('/js/device-key.js');
              const { fromHex } = await import('/js/passphrase/bytes.js');
              const verify = (bytes, sig) => p.verifyServerSignature(publicKey, fromHex(bytes), sig);
              const device = await createDeviceKey();
              return {
                genuine: await verify(transcript, signature),
                alteredTranscript: await verify(altered, signature),
                otherKey: await verify(transcript, otherSignature),
                der: await verify(transcript, derSignature),
                truncated: await verify(transcript, signature.slice(0, -4)),
                notBase64: await verify(transcript, '!!' + signature.slice(2)),
                keyId: await p.viewKeyId(publicKey),
                device: device.publicKey,
                startSignature: await p.signStart(device.privateKey, media, clientShare),
              };
            }
            """, new
        {
            publicKey,
            transcript = Convert.ToHexStringLower(transcript),
            altered = Convert.ToHexStringLower(altered),
            signature = Base64Url.EncodeToString(signature),
            otherSignature = Base64Url.EncodeToString(otherSignature),
            derSignature = Base64Url.EncodeToString(derSignature),
            media = "m_parity",
            clientShare = client.Public,
        });

        Assert.True(result.GetProperty("genuine").GetBoolean());
        foreach (var forged in new[] { "alteredTranscript", "otherKey", "der", "truncated", "notBase64" })
            Assert.False(result.GetProperty(forged).GetBoolean(), forged);
        Assert.Equal(keyId, result.GetProperty("keyId").GetString());

        using var device = ECDsa.Create();
        device.ImportSubjectPublicKeyInfo(Convert.FromBase64String(result.GetProperty("device").GetString()!), out _);
        var startSignature = Base64Url.DecodeFromChars(result.GetProperty("startSignature").GetString());
        Assert.True(device.VerifyData(PlayTranscript.StartText("m_parity", client.Public), startSignature,
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        Assert.False(device.VerifyData(PlayTranscript.StartText("m_other", client.Public), startSignature,
            HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    });

    [Fact]
    public Task The_page_reproduces_the_play_test_vector() => RunAsync(async () =>
    {
        var page = await OpenAsync("vector");

        var result = await page.Page.EvaluateAsync<JsonElement>($$"""
            async (v) => {
              const p = await import('{{Protocol}}');
              const { toHex, fromHex } = await import('/js/passphrase/bytes.js');
              // A fixed private key goes into WebCrypto as a JWK: the scalar d and the public point's coordinates (its share).
              const importPrivate = (hex, share) => {
                const point = p.fromBase64Url(share);
                return crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', d: p.toBase64Url(fromHex(hex)),
                  x: p.toBase64Url(point.subarray(1, 33)), y: p.toBase64Url(point.subarray(33)), ext: true }, { name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
              };
              const client = await importPrivate(v.clientPrivateKey, v.clientShare);
              const server = await importPrivate(v.serverPrivateKey, v.serverShare);
              const started = { playId: v.playId, userId: v.userId, deviceId: v.deviceId, media: v.media, contentId: v.contentId,
                serverShare: v.serverShare, sealedEveryMs: v.sealedEveryMs, plainEveryMs: v.plainEveryMs };
              const transcript = p.transcriptBytes(started, v.clientShare);
              const secret = await crypto.subtle.deriveBits({ name: 'ECDH', public: await crypto.subtle.importKey('raw', p.fromBase64Url(v.serverShare),
                { name: 'ECDH', namedCurve: 'P-256' }, false, []) }, client, 256);
              const raw = async (key) => toHex(new Uint8Array(await crypto.subtle.exportKey('raw', key)));
              const key = await p.derivePlayKey(client, v.serverShare, transcript, { extractable: true });
              const serverKey = await p.derivePlayKey(server, v.clientShare, transcript, { extractable: true });
              const report = { flags: p.Flags.Playing, counter: v.counter, bytesDownloaded: v.bytesDownloaded, positionMs: v.positionMs, clientTimeMs: v.clientTimeMs };
              const sealed = await p.sealReport(key, v.playId, report, fromHex(v.nonce));
              return {
                transcript: new TextDecoder().decode(transcript),
                transcriptSha256: toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', transcript))),
                secret: toHex(new Uint8Array(secret)),
                key: await raw(key),
                serverKey: await raw(serverKey),
                report: toHex(p.encodeReport(report)),
                sealed: toHex(sealed),
                sealedBase64Url: p.toBase64Url(sealed),
              };
            }
            """, new
        {
            clientPrivateKey = PlayVector.ClientPrivateKey, clientShare = PlayVector.ClientShare,
            serverPrivateKey = PlayVector.ServerPrivateKey, serverShare = PlayVector.ServerShare,
            playId = PlayVector.PlayId, userId = PlayVector.UserId, deviceId = PlayVector.DeviceId, media = PlayVector.Media,
            contentId = PlayVector.ContentId, sealedEveryMs = PlayVector.SealedEveryMs, plainEveryMs = PlayVector.PlainEveryMs,
            counter = (long)PlayVector.Counter, bytesDownloaded = PlayVector.BytesDownloaded, positionMs = (long)PlayVector.PositionMs,
            clientTimeMs = PlayVector.ClientTimeMs, nonce = PlayVector.Nonce,
        });

        string Value(string name) => result.GetProperty(name).GetString()!;
        Assert.Equal(PlayVector.Transcript, Value("transcript"));
        Assert.Equal(PlayVector.TranscriptSha256, Value("transcriptSha256"));
        Assert.Equal(PlayVector.SharedSecret, Value("secret"));
        Assert.Equal(PlayVector.PlayKey, Value("key"));
        Assert.Equal(PlayVector.PlayKey, Value("serverKey"));
        Assert.Equal(PlayVector.Report, Value("report"));
        Assert.Equal(PlayVector.SealedReport, Value("sealed"));
        Assert.Equal(PlayVector.SealedReportBase64Url, Value("sealedBase64Url"));
    });
}
