using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Parley.Core.Passphrase;

namespace Parley.Server.Tests.Passphrase;

/// <summary>One user's side of a passphrase session in tests: real SPAKE2 keys and the live events it receives.</summary>
public sealed class PakeParty : IAsyncDisposable
{
    private readonly HubConnection _live;

    private PakeParty(TestUser user, HubConnection live)
    {
        User = user;
        _live = live;
        foreach (var name in new[] { PakeEvents.Request, PakeEvents.Answer, PakeEvents.Connected, PakeEvents.Failed })
            live.On<PakeSessionDto>(name, dto => Events.Writer.TryWrite((name, dto)));
        live.On<PakeFrameDto>(PakeEvents.Message, frame => Frames.Writer.TryWrite(frame));
    }

    public TestUser User { get; }
    public Channel<(string Name, PakeSessionDto Session)> Events { get; } = Channel.CreateUnbounded<(string, PakeSessionDto)>();
    public Channel<PakeFrameDto> Frames { get; } = Channel.CreateUnbounded<PakeFrameDto>();

    public static async Task<PakeParty> Join(Api api, string prefix) => await Join(api, await api.NewUser(prefix));

    public static async Task<PakeParty> Join(Api api, TestUser user) => new(user, await api.ConnectLive(user));

    public async Task<PakeSessionDto> Next(string expectedEvent)
    {
        var (name, session) = await Events.Reader.ReadAsync().AsTask().Within();
        Assert.Equal(expectedEvent, name);
        return session;
    }

    public ValueTask DisposeAsync() => _live.DisposeAsync();
}
