using System.Net;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Broadcast;
using Parley.Core.Json;
using Parley.Core.Messaging;
using Parley.Core.Passphrase;
using Parley.Core.Problems;
using Parley.Core.Realtime;
using Parley.Core.Rooms;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;

namespace Parley.Client;

/// <summary>
/// The live channel of one signed-in client: what the server pushes (new messages, invitations,
/// members coming and going) as typed events. Live events can be missed while the connection is
/// down; <see cref="FollowRoomAsync"/> makes up for that with history.
/// </summary>
public sealed class ParleyLive : IAsyncDisposable
{
    private readonly ParleyClient _client;
    private readonly HubConnection _hub;
    private readonly SemaphoreSlim _starting = new(1, 1);

    /// <param name="client">Supplies the server address and, on every (re)connect, the current token.</param>
    /// <param name="reconnectPolicy">When to retry after the connection drops; SignalR's default (0, 2, 10, 30 s, then give up) otherwise.</param>
    public ParleyLive(ParleyClient client, IRetryPolicy? reconnectPolicy = null)
    {
        _client = client;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(client.Server, LiveEvents.HubPath), http => http.AccessTokenProvider = () => Task.FromResult(client.Token))
            .AddJsonProtocol(json => ParleyJson.Configure(json.PayloadSerializerOptions));
        _hub = (reconnectPolicy is null ? builder.WithAutomaticReconnect() : builder.WithAutomaticReconnect(reconnectPolicy)).Build();

        _hub.On<MessageDto>(LiveEvents.Message, message => MessageReceived?.Invoke(message));
        _hub.On<InvitationDto>(LiveEvents.Invited, invitation => Invited?.Invoke(invitation));
        _hub.On<MemberEvent>(LiveEvents.MemberJoined, change => MemberJoined?.Invoke(change));
        _hub.On<MemberEvent>(LiveEvents.MemberLeft, change => MemberLeft?.Invoke(change));
        _hub.On<BroadcastEvent>(BroadcastLiveEvents.Picture, picture => BroadcastReceived?.Invoke(picture));
        _hub.On<PakeSessionDto>(PakeEvents.Request, session => PakeRequested?.Invoke(session));
        _hub.On<PakeSessionDto>(PakeEvents.Answer, session => PakeAnswered?.Invoke(session));
        _hub.On<PakeSessionDto>(PakeEvents.Connected, session => PakeConnected?.Invoke(session));
        _hub.On<PakeSessionDto>(PakeEvents.Failed, session => PakeFailed?.Invoke(session));
        _hub.On<PakeFrameDto>(PakeEvents.Message, frame => PakeFrameReceived?.Invoke(frame));
        _hub.On<LibraryUpdatedEvent>(LibraryEvents.LibraryUpdated, update => LibraryUpdated?.Invoke(update));
        _hub.On<MediaQuarantinedEvent>(ScanningEvents.MediaQuarantined, change => MediaQuarantined?.Invoke(change));
        _hub.On<MediaReleasedEvent>(ScanningEvents.MediaReleased, change => MediaReleased?.Invoke(change));
        _hub.Reconnecting += error => Raise(Reconnecting, error);
        _hub.Reconnected += _ => Raise(Reconnected);
        _hub.Closed += error => Raise(Closed, error);
    }

    /// <summary>A message was posted in one of the user's rooms (including by the user).</summary>
    public event Action<MessageDto>? MessageReceived;

    /// <summary>The server published a new feature library version (apply it with <see cref="Scanning.FeatureLibrarySync.ApplyAsync"/>).</summary>
    public event Action<LibraryUpdatedEvent>? LibraryUpdated;

    /// <summary>A newer feature library matched media in one of the user's rooms: its messages' media is no longer served.</summary>
    public event Action<MediaQuarantinedEvent>? MediaQuarantined;

    /// <summary>An operator released quarantined media in one of the user's rooms: it is served again.</summary>
    public event Action<MediaReleasedEvent>? MediaReleased;

    /// <summary>Someone invited the user to a room.</summary>
    public event Action<InvitationDto>? Invited;

    public event Action<MemberEvent>? MemberJoined;

    /// <summary>A member left one of the user's rooms; the user hears of their own leaving too.</summary>
    public event Action<MemberEvent>? MemberLeft;

    /// <summary>
    /// Another member broadcast a picture to one of the user's rooms, with a thumbnail to show at once; the message
    /// carrying the picture arrives as well. The sender gets no broadcast of its own picture.
    /// </summary>
    public event Action<BroadcastEvent>? BroadcastReceived;

    /// <summary>Someone asks the user for a passphrase session (named mode).</summary>
    public event Action<PakeSessionDto>? PakeRequested;

    /// <summary>The responder answered a passphrase session the user started.</summary>
    public event Action<PakeSessionDto>? PakeAnswered;

    /// <summary>A passphrase session of the user's was confirmed within T2.</summary>
    public event Action<PakeSessionDto>? PakeConnected;

    /// <summary>A passphrase session of the user's ended without a connection, or a side reported a mismatch.</summary>
    public event Action<PakeSessionDto>? PakeFailed;

    /// <summary>The peer of a passphrase session relayed an encrypted frame.</summary>
    public event Action<PakeFrameDto>? PakeFrameReceived;

    /// <summary>The connection dropped and is being re-established; events sent meanwhile are lost.</summary>
    public event Action<Exception?>? Reconnecting;

    /// <summary>The connection is back: whatever was missed must be fetched from history.</summary>
    public event Action? Reconnected;

    /// <summary>The connection is gone for good: closed by <see cref="DisposeAsync"/> (null) or after reconnecting failed.</summary>
    public event Action<Exception?>? Closed;

    public bool IsConnected => _hub.State == HubConnectionState.Connected;

    /// <summary>
    /// Connects unless already connected or reconnecting; safe to call from several followers at once. Once it returns,
    /// the server has registered the connection: every live event from then on arrives.
    /// A refused token surfaces as <see cref="ParleyApiException"/>, like on the HTTP API.
    /// </summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        await _starting.WaitAsync(ct);
        try
        {
            if (_hub.State != HubConnectionState.Disconnected) return;
            await _hub.StartAsync(ct);
            // The handshake completes before the server registers the connection (presence, groups); this answer comes after.
            await _hub.InvokeAsync<string>(LiveEvents.Ready, ct);
        }
        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.Unauthorized)
        {
            var code = _client.Token is null ? ProblemCodes.AuthRequired : ProblemCodes.AuthInvalidToken;
            throw new ParleyApiException((int)HttpStatusCode.Unauthorized, code, "Unauthorized", "The server refused the live connection: sign in again.");
        }
        finally
        {
            _starting.Release();
        }
    }

    /// <summary>
    /// The room's messages with seq greater than <paramref name="afterSeq"/>, then every new one as it
    /// is posted: in seq order, each exactly once, across reconnects. Pass the seq of the last message
    /// handled to resume where a previous follower stopped. Ends when the connection is disposed; throws
    /// <see cref="LiveConnectionLostException"/> when it is lost for good.
    /// </summary>
    public IAsyncEnumerable<MessageDto> FollowRoomAsync(string roomId, long afterSeq, CancellationToken ct = default) =>
        RoomFollower.FollowAsync(this, _client, roomId, afterSeq, ct);

    private static Task Raise(Action? handler)
    {
        handler?.Invoke();
        return Task.CompletedTask;
    }

    private static Task Raise(Action<Exception?>? handler, Exception? error)
    {
        handler?.Invoke(error);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        _starting.Dispose();
    }
}
