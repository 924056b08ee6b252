using Microsoft.AspNetCore.SignalR;
using Parley.Core.Messaging;
using Parley.Core.Realtime;
using Parley.Core.Rooms;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;

namespace Parley.Server.Realtime;

/// <summary>Pushes committed changes to the connected clients of the users they concern (each list as an <see cref="Audience"/>).</summary>
public sealed class LiveNotifier(IHubContext<ParleyHub> hub)
{
    public Task MessagePosted(MessageDto message, IReadOnlyList<string> memberIds, CancellationToken ct) =>
        hub.Clients.Users(Audience.Of(memberIds)).SendAsync(LiveEvents.Message, message, ct);

    public Task Invited(InvitationDto invitation, string userId, CancellationToken ct) =>
        hub.Clients.User(userId).SendAsync(LiveEvents.Invited, invitation, ct);

    public Task MemberJoined(MemberEvent change, IReadOnlyList<string> memberIds, CancellationToken ct) =>
        hub.Clients.Users(Audience.Of(memberIds)).SendAsync(LiveEvents.MemberJoined, change, ct);

    public Task Presence(PresenceEvent change, IReadOnlyList<string> userIds, CancellationToken ct) =>
        hub.Clients.Users(Audience.Of(userIds)).SendAsync(LiveEvents.Presence, change, ct);

    public Task MemberLeft(MemberEvent change, IReadOnlyList<string> memberIds, CancellationToken ct) =>
        hub.Clients.Users(Audience.Of(memberIds)).SendAsync(LiveEvents.MemberLeft, change, ct);

    public Task LibraryUpdated(LibraryUpdatedEvent update, IReadOnlyList<string> userIds, CancellationToken ct) =>
        hub.Clients.Users(Audience.Of(userIds)).SendAsync(LibraryEvents.LibraryUpdated, update, ct);

    public Task MediaQuarantined(MediaQuarantinedEvent change, IReadOnlyList<string> memberIds, CancellationToken ct) =>
        hub.Clients.Users(Audience.Of(memberIds)).SendAsync(ScanningEvents.MediaQuarantined, change, ct);

    public Task MediaReleased(MediaReleasedEvent change, IReadOnlyList<string> memberIds, CancellationToken ct) =>
        hub.Clients.Users(Audience.Of(memberIds)).SendAsync(ScanningEvents.MediaReleased, change, ct);
}
