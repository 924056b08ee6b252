using System.Threading.Channels;
using Parley.Core.Passphrase;

namespace Parley.Client.Passphrase;

internal abstract record PakeSignal;

/// <summary>Someone asks this user for a session (named mode).</summary>
internal sealed record PakeRequestSignal(PakeSessionDto Session) : PakeSignal;

/// <summary>A session moved on: answered, connected or failed.</summary>
internal sealed record PakeUpdateSignal(PakeSessionDto Session) : PakeSignal;

internal sealed record PakeFrameSignal(PakeFrameDto Frame) : PakeSignal;

/// <summary>The live connection came back: whatever it carried meanwhile is lost and must be fetched.</summary>
internal sealed record PakeResyncSignal : PakeSignal;

/// <summary>
/// Everything the live connection says about passphrase sessions, queued from the moment of
/// subscribing. A handshake opens its feed before its first request, so an answer or a connection
/// that comes back at once is waiting in the queue, not lost between two awaits. Signals for other
/// sessions are in the queue too; readers skip them.
/// </summary>
internal sealed class PakeFeed : IDisposable
{
    private readonly ParleyLive _live;
    private readonly Channel<PakeSignal> _signals = Channel.CreateUnbounded<PakeSignal>(new UnboundedChannelOptions { SingleReader = true });
    private static readonly PakeResyncSignal Resync = new();

    private PakeFeed(ParleyLive live)
    {
        _live = live;
        live.PakeRequested += OnRequest;
        live.PakeAnswered += OnUpdate;
        live.PakeConnected += OnUpdate;
        live.PakeFailed += OnUpdate;
        live.PakeFrameReceived += OnFrame;
        live.Reconnected += OnReconnected;
        live.Closed += OnClosed;
    }

    /// <summary>Subscribes, then connects the live connection if it is not already up.</summary>
    public static async Task<PakeFeed> OpenAsync(ParleyLive live, CancellationToken ct)
    {
        var feed = new PakeFeed(live);
        try
        {
            await live.StartAsync(ct);
            return feed;
        }
        catch
        {
            feed.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The next signal; null once the live connection was closed by its owner. Throws
    /// <see cref="LiveConnectionLostException"/> when it was lost for good.
    /// </summary>
    public async ValueTask<PakeSignal?> ReadAsync(CancellationToken ct)
    {
        // WaitToReadAsync rethrows the completion error as it is; ReadAsync would wrap it.
        while (await _signals.Reader.WaitToReadAsync(ct))
        {
            if (_signals.Reader.TryRead(out var signal)) return signal;
        }
        return null;
    }

    private void OnRequest(PakeSessionDto session) => _signals.Writer.TryWrite(new PakeRequestSignal(session));

    private void OnUpdate(PakeSessionDto session) => _signals.Writer.TryWrite(new PakeUpdateSignal(session));

    private void OnFrame(PakeFrameDto frame) => _signals.Writer.TryWrite(new PakeFrameSignal(frame));

    private void OnReconnected() => _signals.Writer.TryWrite(Resync);

    private void OnClosed(Exception? error) => _signals.Writer.TryComplete(error is null ? null : new LiveConnectionLostException(error));

    public void Dispose()
    {
        _live.PakeRequested -= OnRequest;
        _live.PakeAnswered -= OnUpdate;
        _live.PakeConnected -= OnUpdate;
        _live.PakeFailed -= OnUpdate;
        _live.PakeFrameReceived -= OnFrame;
        _live.Reconnected -= OnReconnected;
        _live.Closed -= OnClosed;
        _signals.Writer.TryComplete();
    }
}
