using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Parley.Client.Views;
using Parley.Core.Json;
using Parley.Core.Views;

namespace Parley.Client.Tests.Views;

/// <summary>
/// The server's side of the views protocol in memory, for what a real server cannot show: the client's timing on a
/// <c>FakeTimeProvider</c>, and a server whose view key or signature is not the one pinned. It does the real key
/// agreement, serves the video's ranges counting the bytes, and opens every sealed report it receives.
/// </summary>
internal sealed class FakeViewServer(byte[] video, long durationMs, TimeProvider time) : HttpMessageHandler
{
    private const string PlayId = "p_fake1";
    private PlayKey? _key;

    /// <summary>The key that signs plays; replace it to play a server whose view key changed.</summary>
    public ECDsa SigningKey { get; set; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>What <c>GET /api/views/key</c> answers instead of <see cref="Key"/>.</summary>
    public ViewKeyDto? OfferedKey { get; set; }

    /// <summary>Flips a bit of every play's signature, as a party between client and server would have to.</summary>
    public bool TamperSignature { get; init; }

    public long SealedEveryMs { get; init; } = 1000;

    public long PlainEveryMs { get; init; } = 2000;

    public long BytesServed { get; private set; }

    public List<(long AtMs, RangeSnapshot Range)> Ranges { get; } = [];

    public List<ReceivedReport> Reports { get; } = [];

    public long? EndedAtMs { get; private set; }

    private readonly DateTimeOffset _start = time.GetUtcNow();

    private long NowMs => (long)(time.GetUtcNow() - _start).TotalMilliseconds;

    public ViewKeyDto Key
    {
        get
        {
            var spki = Base64Url.EncodeToString(SigningKey.ExportSubjectPublicKeyInfo());
            return new(ViewKeyCheck.KeyIdOf(spki), spki);
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var path = request.RequestUri!.AbsolutePath;
        return path switch
        {
            "/api/views/key" => Json(OfferedKey ?? Key),
            "/api/views/plays" => Json(Start((await request.Content!.ReadFromJsonAsync<StartPlayRequest>(ParleyJson.Options, ct))!), HttpStatusCode.Created),
            $"/api/views/plays/{PlayId}/stream" => Stream(request),
            $"/api/views/plays/{PlayId}/reports" => Json(Receive((await request.Content!.ReadFromJsonAsync<PlayReportRequest>(ParleyJson.Options, ct))!)),
            $"/api/views/plays/{PlayId}/end" => Json(End()),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound),
        };
    }

    private PlayStartedDto Start(StartPlayRequest request)
    {
        using var share = PlayShare.Create();
        var started = new PlayStartedDto(PlayId, request.Media, "sha256:" + Convert.ToHexStringLower(SHA256.HashData(video)), "u_fake", "d_fake",
            share.Public, "", Key.KeyId, SealedEveryMs, PlainEveryMs, 500, $"/api/views/plays/{PlayId}/stream?access=token",
            "video/mp4", video.Length, durationMs, video.Length * 8000L / durationMs, time.GetUtcNow());
        var transcript = PlayTranscript.Of(started, request.ClientShare);
        var signature = SigningKey.SignData(transcript.ToBytes(), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        if (TamperSignature) signature[5] ^= 1;
        _key = share.DeriveKey(request.ClientShare, transcript);
        return started with { ServerSignature = Base64Url.EncodeToString(signature) };
    }

    private HttpResponseMessage Stream(HttpRequestMessage request)
    {
        var range = request.Headers.Range!.Ranges.Single();
        var from = range.From!.Value;
        var to = Math.Min(range.To ?? video.Length - 1, video.Length - 1);
        Ranges.Add((NowMs, new RangeSnapshot(from, to)));
        BytesServed += to - from + 1;
        return new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(video, (int)from, (int)(to - from + 1)) };
    }

    private PlayReportAcceptedDto Receive(PlayReportRequest request)
    {
        PlayReport report;
        var isSealed = request.Sealed is not null;
        var opened = isSealed
            ? _key!.TryOpen(PlayId, Base64Url.DecodeFromChars(request.Sealed), out report)
            : PlayReport.TryRead(Base64Url.DecodeFromChars(request.Plain), out report);
        Assert.True(opened, "a report the server cannot read");
        Reports.Add(new(NowMs, isSealed, report, BytesServed));
        return new(isSealed ? ReportKinds.Sealed : ReportKinds.Plain, report.Counter, isSealed ? SealedEveryMs : PlainEveryMs);
    }

    private PlayRecordDto End()
    {
        EndedAtMs = NowMs;
        return new(PlayId, "m_fake", "sha256:fake", "fake", PlayVerdicts.Legal, [ViewReasons.Ended], true, 1, BytesServed,
            Reports.LastOrDefault()?.Report.BytesDownloaded ?? 0, Reports.Count(r => r.Sealed), Reports.Count(r => !r.Sealed), _start, time.GetUtcNow());
    }

    private static HttpResponseMessage Json<T>(T body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = JsonContent.Create(body, options: ParleyJson.Options) };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _key?.Dispose();
            SigningKey.Dispose();
        }
        base.Dispose(disposing);
    }
}

internal sealed record RangeSnapshot(long From, long To);

/// <param name="ServedBefore">The bytes the server had streamed when the report arrived.</param>
internal sealed record ReceivedReport(long AtMs, bool Sealed, PlayReport Report, long ServedBefore);
