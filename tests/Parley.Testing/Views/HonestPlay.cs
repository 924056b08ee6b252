using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Parley.Core.Json;
using Parley.Core.Views;

namespace Parley.Testing.Views;

/// <summary>
/// A play spoken over raw HTTP the way an honest client speaks it (docs/views.md), one step at a time on a clock the test
/// moves: start with a fresh share and the device's signature, check the server's signature against the view key,
/// download a little ahead of the position, send sealed and plain reports on their periods, end. Tests take single
/// steps from it to make a play dishonest in exactly one way.
/// </summary>
public sealed class HonestPlay : IDisposable
{
    /// <summary>How far ahead of the position an honest player downloads.</summary>
    public static readonly TimeSpan Buffer = TimeSpan.FromSeconds(2);

    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private uint _sealedCounter;
    private uint _plainCounter;
    private DateTimeOffset _lastPlainAt;

    private HonestPlay(HttpClient http, TimeProvider clock, PlayStartedDto started, PlayKey key)
    {
        (_http, _clock, Started, Key) = (http, clock, started, key);
        _lastPlainAt = clock.GetUtcNow();
    }

    public PlayStartedDto Started { get; }
    public PlayKey Key { get; }
    public string Id => Started.PlayId;
    public long Downloaded { get; private set; }
    public long PositionMs { get; set; }

    /// <summary>The device's signature over the start text, base64url P1363, as a client makes it.</summary>
    public static string SignStart(ECDsa deviceKey, string media, string clientShare) =>
        Base64Url.EncodeToString(deviceKey.SignData(PlayTranscript.StartText(media, clientShare), HashAlgorithmName.SHA256,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public static Task<HttpResponseMessage> PostStartAsync(HttpClient http, StartPlayRequest request) =>
        http.PostAsync("/api/views/plays", JsonContent.Create(request, options: ParleyJson.Options));

    /// <summary>Starts a play of <paramref name="media"/> with <paramref name="share"/> (a fresh one unless given) and derives its key.</summary>
    public static async Task<HonestPlay> StartAsync(HttpClient http, ECDsa deviceKey, string media, TimeProvider clock, PlayShare? share = null)
    {
        using var fresh = share is null ? PlayShare.Create() : null;
        var mine = share ?? fresh!;
        var response = await PostStartAsync(http, new StartPlayRequest(media, mine.Public, SignStart(deviceKey, media, mine.Public)));
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"Play start answered {(int)response.StatusCode}: {body}");
        var started = System.Text.Json.JsonSerializer.Deserialize<PlayStartedDto>(body, ParleyJson.Options)!;
        var transcript = PlayTranscript.Of(started, mine.Public);
        var viewKey = (await http.GetFromJsonAsync<ViewKeyDto>("/api/views/key", ParleyJson.Options))!;
        using var verifier = ECDsa.Create();
        verifier.ImportSubjectPublicKeyInfo(Base64Url.DecodeFromChars(viewKey.PublicKey), out _);
        if (viewKey.KeyId != started.KeyId || !verifier.VerifyData(transcript.ToBytes(), Base64Url.DecodeFromChars(started.ServerSignature),
                HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            throw new InvalidOperationException("The server's signature over the transcript does not verify with its view key.");
        return new HonestPlay(http, clock, started, mine.DeriveKey(started.ServerShare, transcript));
    }

    /// <summary>
    /// Downloads the stream from where it stopped up to byte <paramref name="end"/> (exclusive), with a range request as a
    /// player makes it; with nothing left to fetch, asks for the whole stream (whose answer shows whether it is still open).
    /// </summary>
    public async Task<HttpResponseMessage> DownloadToAsync(long end)
    {
        end = Math.Min(end, Started.Size);
        var request = new HttpRequestMessage(HttpMethod.Get, Started.StreamUrl);
        if (end > Downloaded) request.Headers.Range = new RangeHeaderValue(Downloaded, end - 1);
        var response = await _http.SendAsync(request);
        if (response.IsSuccessStatusCode && request.Headers.Range is not null) Downloaded += (await response.Content.ReadAsByteArrayAsync()).Length;
        return response;
    }

    /// <summary>The bytes an honest player holds at a position: its share of the file, plus <see cref="Buffer"/> ahead.</summary>
    public long BytesFor(long positionMs) =>
        Math.Min(Started.Size, Started.Size * (positionMs + (long)Buffer.TotalMilliseconds) / Started.DurationMs);

    /// <summary>The next report of a kind as the player stands (counter, bytes, position, its clock).</summary>
    public PlayReport Next(ReportKind kind, PlayReportFlags flags = PlayReportFlags.Playing) => new(flags,
        kind == ReportKind.Sealed ? ++_sealedCounter : ++_plainCounter, Downloaded, (uint)PositionMs, _clock.GetUtcNow().ToUnixTimeMilliseconds());

    public Task<HttpResponseMessage> SendSealedAsync(in PlayReport report) =>
        SendAsync(new PlayReportRequest(Base64Url.EncodeToString(Key.Seal(Id, report)), null));

    public Task<HttpResponseMessage> SendPlainAsync(in PlayReport report) =>
        SendAsync(new PlayReportRequest(null, Base64Url.EncodeToString(report.ToBytes())));

    public Task<HttpResponseMessage> SendAsync(PlayReportRequest request) =>
        _http.PostAsync($"/api/views/plays/{Id}/reports", JsonContent.Create(request, options: ParleyJson.Options));

    public Task<HttpResponseMessage> EndAsync() => _http.PostAsync($"/api/views/plays/{Id}/end", null);

    /// <summary>
    /// One period of honest playing: download ahead, let <paramref name="period"/> pass (<paramref name="advance"/> moves
    /// the test's clock), and send a sealed report, and a plain one too when <paramref name="withPlain"/>. Throws on any refusal.
    /// </summary>
    public async Task StepAsync(Action<TimeSpan> advance, TimeSpan period, bool withPlain)
    {
        var target = Math.Min(Started.DurationMs, PositionMs + (long)period.TotalMilliseconds);
        await Expect(await DownloadToAsync(BytesFor(target)), HttpStatusCode.PartialContent, HttpStatusCode.OK);
        advance(period);
        PositionMs = target;
        await Expect(await SendSealedAsync(Next(ReportKind.Sealed)), HttpStatusCode.OK);
        if (!withPlain) return;
        await Expect(await SendPlainAsync(Next(ReportKind.Plain)), HttpStatusCode.OK);
        _lastPlainAt = _clock.GetUtcNow();
    }

    /// <summary>
    /// Plays on from where it stands until <paramref name="untilMs"/> (the whole video by default): a sealed report every
    /// first period, a plain one with it whenever the second period has passed since the last plain one (or the start);
    /// then ends, and returns the end's answer.
    /// </summary>
    public async Task<HttpResponseMessage> PlayAsync(Action<TimeSpan> advance, long? untilMs = null)
    {
        var sealedEvery = TimeSpan.FromMilliseconds(Started.SealedEveryMs);
        var plainEvery = TimeSpan.FromMilliseconds(Started.PlainEveryMs);
        while (PositionMs < (untilMs ?? Started.DurationMs))
            await StepAsync(advance, sealedEvery, withPlain: _clock.GetUtcNow() + sealedEvery - _lastPlainAt >= plainEvery);
        return await EndAsync();
    }

    private static async Task Expect(HttpResponseMessage response, params HttpStatusCode[] statuses)
    {
        if (!statuses.Contains(response.StatusCode))
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri?.AbsolutePath} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public void Dispose() => Key.Dispose();
}
