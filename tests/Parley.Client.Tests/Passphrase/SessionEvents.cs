using System.Threading.Channels;
using Parley.Client.Passphrase;

namespace Parley.Client.Tests.Passphrase;

/// <summary>Reads a session's events in the background, so that a test can await the next ones with a deadline.</summary>
internal sealed class SessionEvents : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<PassphraseEvent> _events = Channel.CreateUnbounded<PassphraseEvent>();
    private readonly Task _reading;

    public SessionEvents(PassphraseSession session) => _reading = ReadAsync(session);

    /// <summary>Completes when the session's event stream has ended and everything in it was taken.</summary>
    public Task Completion => _events.Reader.Completion;

    public async Task<T> NextAsync<T>() where T : PassphraseEvent
    {
        using var deadline = new CancellationTokenSource(ServerFixture.Patience);
        var next = await _events.Reader.ReadAsync(deadline.Token);
        return Assert.IsType<T>(next);
    }

    public async Task<string> NextTextAsync() => (await NextAsync<PassphraseTextReceived>()).Text;

    private async Task ReadAsync(PassphraseSession session)
    {
        try
        {
            await foreach (var received in session.ReadEventsAsync(_stop.Token)) _events.Writer.TryWrite(received);
            _events.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _events.Writer.TryComplete();
        }
        catch (Exception e)
        {
            _events.Writer.TryComplete(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _reading;
        _stop.Dispose();
    }
}
