using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Parley.Core.Messaging;

namespace Parley.Client;

/// <summary>
/// Follows one room with "nothing missed, nothing twice". Live events are buffered from before the
/// catch-up starts, so a message posted meanwhile is in the history page, in the buffer, or both;
/// the seq cursor drops the overlap. A jump in seq (an event that never arrived) or a reconnect
/// (events lost while down) sends the follower back to history from its cursor. The server pushes a
/// message only after it is committed, and seq order is commit order, so history always has the gap.
/// </summary>
internal static class RoomFollower
{
    private abstract record Signal;

    private sealed record LiveMessage(MessageDto Message) : Signal;

    /// <summary>Live events may have been missed: ask history.</summary>
    private sealed record Resync : Signal;

    public static async IAsyncEnumerable<MessageDto> FollowAsync(
        ParleyLive live, ParleyClient client, string roomId, long afterSeq, [EnumeratorCancellation] CancellationToken ct)
    {
        var signals = Channel.CreateUnbounded<Signal>(new UnboundedChannelOptions { SingleReader = true });
        var resync = new Resync();
        void OnMessage(MessageDto message)
        {
            if (message.RoomId == roomId) signals.Writer.TryWrite(new LiveMessage(message));
        }
        void OnReconnected() => signals.Writer.TryWrite(resync);
        void OnClosed(Exception? error) => signals.Writer.TryComplete(error is null ? null : new LiveConnectionLostException(error));

        live.MessageReceived += OnMessage;
        live.Reconnected += OnReconnected;
        live.Closed += OnClosed;
        try
        {
            // Connected before the catch-up: a message committed after the catch-up's last page is then surely heard live.
            await live.StartAsync(ct);
            var cursor = afterSeq;
            await foreach (var message in client.CatchUpAsync(roomId, cursor, ct))
            {
                yield return message;
                cursor = message.Seq;
            }

            await foreach (var signal in signals.Reader.ReadAllAsync(ct))
            {
                if (signal is LiveMessage { Message: var seen } && seen.Seq <= cursor) continue;
                if (signal is LiveMessage { Message: var next } && next.Seq == cursor + 1)
                {
                    yield return next;
                    cursor = next.Seq;
                    continue;
                }
                await foreach (var message in client.CatchUpAsync(roomId, cursor, ct))
                {
                    yield return message;
                    cursor = message.Seq;
                }
            }
        }
        finally
        {
            live.MessageReceived -= OnMessage;
            live.Reconnected -= OnReconnected;
            live.Closed -= OnClosed;
        }
    }
}
