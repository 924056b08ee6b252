using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Messaging;
using Parley.Core.Problems;
using Parley.Core.Realtime;
using Parley.Server.Bus;
using Parley.Testing;

namespace Parley.Server.Tests.Bus;

/// <summary>
/// What one node remembers (tokens, room members) is forgotten when another node changes it: the change's bus
/// message reaches the other node, and its next request sees the change. Each test makes node Two remember first.
/// </summary>
public sealed class ClusterCacheTests : TwoNodeTests
{
    private static Task<HttpResponseMessage> Post(HttpClient http, string roomId, string text) =>
        Api.PostJson(http, $"/api/rooms/{roomId}/messages", new SendMessageRequest(text));

    /// <summary>Completes once node Two has run its own subscribers of the channel's next message (ours runs after theirs).</summary>
    private Task<T> NextOnTwo<T>(string channel)
    {
        var arrived = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.Nodes[1].Services.GetRequiredService<NodeBus>().Subscribe<T>(channel, message =>
        {
            arrived.TrySetResult(message);
            return Task.CompletedTask;
        });
        return arrived.Task;
    }

    [Fact]
    public async Task A_token_signed_out_on_one_node_is_refused_by_the_other_which_had_just_accepted_it()
    {
        var alice = await One.NewUser("alice");
        var room = await One.NewRoom(alice);
        using var onTwo = Two.As(alice);
        Assert.Equal(HttpStatusCode.Created, (await Post(onTwo, room.Id, "remembered on two")).StatusCode);
        var closed = NextOnTwo<SessionClosed>(BusChannels.SessionClosed);

        Assert.Equal(HttpStatusCode.NoContent, (await alice.Http.DeleteAsync("/api/sessions/current")).StatusCode);
        await closed.Within();

        await Api.AssertProblem(await Post(onTwo, room.Id, "after sign-out"), HttpStatusCode.Unauthorized, ProblemCodes.AuthInvalidToken);
    }

    [Fact]
    public async Task A_member_who_left_on_one_node_can_neither_post_nor_hear_on_the_other()
    {
        var alice = await One.NewUser("alice");
        var bob = await One.NewUser("bob");
        var room = await One.NewRoom(alice, bob);
        var elsewhere = await One.NewRoom(alice, bob);
        using var aliceOnTwo = Two.As(alice);
        using var bobOnTwo = Two.As(bob);
        await using var bobLive = await Two.ConnectRegistered(bob);
        var heard = Api.Listen<MessageDto>(bobLive, LiveEvents.Message);
        Assert.Equal(HttpStatusCode.Created, (await Post(bobOnTwo, room.Id, "remembered on two")).StatusCode);
        Assert.Equal("remembered on two", (await heard.Reader.ReadAsync().AsTask().Within()).Text);
        var changed = NextOnTwo<RoomMembersChanged>(BusChannels.RoomMembersChanged);

        Assert.Equal(HttpStatusCode.NoContent, (await bob.Http.PostAsync($"/api/rooms/{room.Id}/leave", null)).StatusCode);
        Assert.Equal(room.Id, (await changed.Within()).RoomId);

        await Api.AssertProblem(await Post(bobOnTwo, room.Id, "after leaving"), HttpStatusCode.Forbidden, ProblemCodes.RoomNotMember);
        Assert.Equal(HttpStatusCode.Created, (await Post(aliceOnTwo, room.Id, "not for bob")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Post(aliceOnTwo, elsewhere.Id, "for bob")).StatusCode);
        Assert.Equal("for bob", (await heard.Reader.ReadAsync().AsTask().Within()).Text);
    }
}
