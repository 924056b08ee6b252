using System.Threading.Channels;
using Parley.Core.Messaging;

namespace Parley.Client.Tests;

/// <summary>Reads a room follower in the background, so that a test can await its next messages with a deadline.</summary>
internal sealed class Follower : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<MessageDto> _messages = Channel.CreateUnbounded<MessageDto>();
    private readonly List<MessageDto> _received = [];
    private readonly Task _reading;

    public Follower(IAsyncEnumerable<MessageDto> messages) => _reading = ReadAsync(messages);

    /// <summary>Everything the test has taken so far, in the order the follower gave it.</summary>
    public IReadOnlyList<MessageDto> Received => _received;

    /// <summary>Completes when the follower has ended and everything it gave was taken; faults if it failed.</summary>
    public Task Completion => _messages.Reader.Completion;

    public async Task<IReadOnlyList<MessageDto>> NextAsync(int count)
    {
        var batch = new List<MessageDto>();
        while (batch.Count < count) batch.Add(await TakeAsync($"{count} messages (got {batch.Count})"));
        return batch;
    }

    /// <summary>
    /// Posts a marker message and reads until it comes out. Since the follower keeps seq order, every
    /// message posted before the marker has come out by then, and the follower is provably hearing live events.
    /// </summary>
    public async Task ReadThroughMarkerAsync(TestUser poster, string roomId)
    {
        var marker = await poster.Client.SendToRoomAsync(roomId, "marker " + Guid.NewGuid().ToString("N"));
        while ((await TakeAsync($"the marker #{marker.Seq}")).Id != marker.Id) { }
    }

    private async Task<MessageDto> TakeAsync(string expected)
    {
        using var deadline = new CancellationTokenSource(ServerFixture.Patience);
        try
        {
            var message = await _messages.Reader.ReadAsync(deadline.Token);
            _received.Add(message);
            return message;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"The follower did not deliver {expected} within {ServerFixture.Patience}; it gave seqs [{string.Join(", ", _received.Select(m => m.Seq))}].");
        }
    }

    private async Task ReadAsync(IAsyncEnumerable<MessageDto> messages)
    {
        try
        {
            await foreach (var message in messages.WithCancellation(_stop.Token)) _messages.Writer.TryWrite(message);
            _messages.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _messages.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _messages.Writer.TryComplete(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }
}
