using Parley.Core.Rooms;

namespace Parley.Client;

public sealed partial class ParleyClient
{
    public Task<RoomDto> CreateRoomAsync(string name, CancellationToken ct = default) =>
        PostAsync<RoomDto>("/api/rooms", new CreateRoomRequest(name), ct);

    /// <summary>The rooms the user is a member of, and the invitations waiting for an answer.</summary>
    public Task<RoomListDto> ListRoomsAsync(CancellationToken ct = default) => GetAsync<RoomListDto>("/api/rooms", ct);

    public Task<RoomDto> GetRoomAsync(string roomId, CancellationToken ct = default) =>
        GetAsync<RoomDto>($"/api/rooms/{Segment(roomId)}", ct);

    public Task<MemberDto[]> GetMembersAsync(string roomId, CancellationToken ct = default) =>
        GetAsync<MemberDto[]>($"/api/rooms/{Segment(roomId)}/members", ct);

    public Task<InvitationDto> InviteAsync(string roomId, string userName, CancellationToken ct = default) =>
        PostAsync<InvitationDto>($"/api/rooms/{Segment(roomId)}/invitations", new InviteRequest(userName), ct);

    /// <summary>Joins a room the user was invited to; joining a room one is already in is not an error.</summary>
    public Task<RoomDto> JoinAsync(string roomId, CancellationToken ct = default) =>
        PostAsync<RoomDto>($"/api/rooms/{Segment(roomId)}/join", body: null, ct);

    /// <summary>Turns down an invitation; joining then needs a new one.</summary>
    public async Task DeclineAsync(string roomId, CancellationToken ct = default)
    {
        using var _ = await SendRawAsync(HttpMethod.Post, $"/api/rooms/{Segment(roomId)}/decline", body: null, ct);
    }

    public async Task LeaveAsync(string roomId, CancellationToken ct = default)
    {
        using var _ = await SendRawAsync(HttpMethod.Post, $"/api/rooms/{Segment(roomId)}/leave", body: null, ct);
    }
}
