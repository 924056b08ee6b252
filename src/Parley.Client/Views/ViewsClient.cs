using System.Buffers.Text;
using Parley.Core.Views;

namespace Parley.Client.Views;

/// <summary>
/// The views API (docs/views.md): the server's view key, plays started with a key agreement that the pinned view key
/// and this device's key vouch for, whole watches at playback pace, and the counts and records.
/// </summary>
public sealed class ViewsClient
{
    private readonly ParleyClient _client;

    internal ViewsClient(ParleyClient client) => _client = client;

    /// <summary>The key that signs play starts; null uses <see cref="ParleyClient.Scanning"/>'s (the session's registered device key). The caller keeps ownership.</summary>
    public DeviceKey? DeviceKey { get; set; }

    /// <summary>Where the trusted view key is kept; by default only for this client's lifetime.</summary>
    public IViewKeyPinStore Pins { get; set; } = new MemoryViewKeyPinStore();

    public Task<ViewKeyDto> GetKeyAsync(CancellationToken ct = default) => _client.GetJsonAsync<ViewKeyDto>("/api/views/key", ct);

    /// <summary>The view count of the video of message <paramref name="media"/>.</summary>
    public Task<ViewCountDto> GetViewsAsync(string media, CancellationToken ct = default) =>
        _client.GetJsonAsync<ViewCountDto>($"/api/views/media/{ParleyClient.PathSegment(media)}", ct);

    /// <summary>Every play record of the video: for its sender and operators (others get <c>view.records_forbidden</c>).</summary>
    public Task<PlayRecordListDto> GetRecordsAsync(string media, CancellationToken ct = default) =>
        _client.GetJsonAsync<PlayRecordListDto>($"/api/views/media/{ParleyClient.PathSegment(media)}/records", ct);

    public Task<PlayRecordDto> GetPlayAsync(string playId, CancellationToken ct = default) =>
        _client.GetJsonAsync<PlayRecordDto>($"/api/views/plays/{ParleyClient.PathSegment(playId)}", ct);

    /// <summary>The view key to check plays against: the pinned one, or on first use the server's, which is pinned from then on.</summary>
    public async Task<ViewKeyDto> PinnedKeyAsync(CancellationToken ct = default)
    {
        if (Pins.Pinned() is { } pinned) return pinned;
        var key = await GetKeyAsync(ct);
        ViewKeyCheck.EnsureConsistent(key);
        Pins.Pin(key);
        return key;
    }

    /// <summary>
    /// Starts playing the video of message <paramref name="media"/>: a fresh ECDH share signed by the device key, the
    /// server's share checked against the pinned view key, and the play key derived from both and the transcript.
    /// </summary>
    /// <exception cref="ViewKeyPinException">The server signed with another key, or the signature does not verify.</exception>
    public async Task<PlaySession> StartPlayAsync(string media, CancellationToken ct = default)
    {
        var device = DeviceKey ?? _client.Scanning?.Key
            ?? throw new InvalidOperationException("Playing a video needs the session's device key: set ParleyClient.Scanning or Views.DeviceKey.");
        var pinned = await PinnedKeyAsync(ct);
        using var share = PlayShare.Create();
        var signature = Base64Url.EncodeToString(device.Sign(PlayTranscript.StartText(media, share.Public)));
        var started = await StartAsync(new StartPlayRequest(media, share.Public, signature), ct);
        return Accept(started, media, share, pinned);
    }

    /// <summary>Sends a start request as given, without any check of the answer: for tests that build their own clients.</summary>
    public Task<PlayStartedDto> StartAsync(StartPlayRequest request, CancellationToken ct = default) =>
        _client.PostJsonAsync<PlayStartedDto>("/api/views/plays", request, ct);

    /// <summary>
    /// Watches the video of message <paramref name="media"/> to its end: streams it at playback pace, sends the reports
    /// the server asked for on <see cref="WatchOptions.Time"/>'s timers, ends the play and returns its final record.
    /// A report the server refuses ends the watch too, with the record that says why.
    /// </summary>
    public async Task<PlayRecordDto> WatchAsync(string media, WatchOptions? options = null, IProgress<WatchProgress>? progress = null, CancellationToken ct = default)
    {
        using var session = await StartPlayAsync(media, ct);
        return await new PlayWatcher(session, options ?? new WatchOptions(), progress).RunAsync(ct);
    }

    private PlaySession Accept(PlayStartedDto started, string media, PlayShare share, ViewKeyDto pinned)
    {
        var transcript = PlayTranscript.Of(started, share.Public);
        ViewKeyCheck.Verify(pinned, started, transcript);
        if (started.Media != media || started.Size <= 0 || started.DurationMs <= 0)
            throw new ViewKeyPinException(ViewClientCodes.PlayInvalid,
                $"The server started play {started.PlayId} for '{started.Media}' ({started.Size} bytes, {started.DurationMs} ms), not a playable '{media}'.");
        PlayKey key;
        try
        {
            key = share.DeriveKey(started.ServerShare, transcript);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new ViewKeyPinException(ViewClientCodes.PlayInvalid, $"The server's share for play {started.PlayId} is not a P-256 point: {e.Message}");
        }
        return new PlaySession(_client, started, share.Public, key);
    }
}
