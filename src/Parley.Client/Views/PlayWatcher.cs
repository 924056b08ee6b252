using Parley.Core.Problems;
using Parley.Core.Views;

namespace Parley.Client.Views;

/// <summary>
/// Plays a <see cref="PlaySession"/> as a player would, without a picture: one task downloads the stream a few seconds
/// ahead of the <see cref="PlaybackClock"/>, another sends the reports on the <see cref="ReportSchedule"/>. At the end,
/// the next sealed report carries <see cref="PlayReportFlags.Ended"/> and the play is ended.
/// </summary>
internal sealed class PlayWatcher(PlaySession session, WatchOptions options, IProgress<WatchProgress>? progress)
{
    private readonly TimeProvider _time = options.Time;
    private readonly PlaybackClock _clock = new(options.Time, session.Started.DurationMs, session.Started.Size);
    private readonly ReportSchedule _schedule = new(options.Time.GetUtcNow(),
        TimeSpan.FromMilliseconds(session.Started.SealedEveryMs), TimeSpan.FromMilliseconds(session.Started.PlainEveryMs));

    public async Task<PlayRecordDto> RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var download = DownloadAsync(stop.Token);
        try
        {
            await ReportAsync(download, stop.Token);
        }
        catch (ParleyApiException e) when (e.Code is ProblemCodes.ViewReportRejected or ProblemCodes.ViewPlayEnded)
        {
            // The server closed the play (a failed check, or it expired): its record says why.
            return await session.GetRecordAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await EndQuietlyAsync();
            throw;
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAny(download);
        }
        return await session.EndAsync(ct);
    }

    /// <summary>The user stopped watching: close the play now rather than leave it to expire, if the server answers soon.</summary>
    private async Task EndQuietlyAsync()
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await session.EndAsync(patience.Token);
        }
        catch (Exception e) when (e is ParleyApiException or HttpRequestException or OperationCanceledException)
        {
            // Unreachable or already closed: the server finishes an open play once its reports stop (view.expired).
        }
    }

    private async Task DownloadAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var from = _clock.Now().BytesReceived;
            if (from >= _clock.Size) return;
            var wanted = _clock.BytesWanted(options.BufferAhead);
            if (wanted == 0)
            {
                await Task.Delay(_clock.UntilRefill(options.BufferAhead), _time, ct);
                continue;
            }
            using var response = await session.OpenStreamAsync(from, from + wanted - 1, ct);
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            long got = 0;
            int read;
            // A server that ignores the range sends everything: stop at what was asked for all the same.
            while (got < wanted && (read = await body.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, wanted - got)), ct)) > 0)
            {
                got += read;
                _clock.Receive(read);
                Report();
            }
            if (got == 0) throw new ParleyApiException((int)response.StatusCode, ClientCodes.InvalidResponse, "Invalid response",
                $"The stream of play {session.PlayId} ended at byte {from} of {_clock.Size}.");
        }
    }

    private async Task ReportAsync(Task download, CancellationToken ct)
    {
        while (true)
        {
            var wait = _schedule.NextDue - _time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                var due = Task.Delay(wait, _time, ct);
                // A failed download ends the watch at once rather than at the next report.
                if (await Task.WhenAny(due, download) == download && download.IsFaulted) await download;
                await due;
            }
            var now = _time.GetUtcNow();
            var state = _clock.Now();
            var sealedDue = _schedule.SealedDue(now);
            // The last round: the video is over and a sealed report (the one that counts) is due to say so.
            var flags = (state.Playing ? PlayReportFlags.Playing : 0) | (state.Ended && sealedDue ? PlayReportFlags.Ended : 0);
            if (sealedDue)
                await session.SendSealedAsync(new PlayReport(flags, _schedule.TakeSealed(now), state.BytesReceived, (uint)state.PositionMs, now.ToUnixTimeMilliseconds()), ct);
            if (_schedule.PlainDue(now))
                await session.SendPlainAsync(new PlayReport(flags, _schedule.TakePlain(now), state.BytesReceived, (uint)state.PositionMs, now.ToUnixTimeMilliseconds()), ct);
            Report();
            if (state.Ended && sealedDue) return;
        }
    }

    private void Report()
    {
        if (progress is null) return;
        var state = _clock.Now();
        progress.Report(new WatchProgress(state.PositionMs, _clock.DurationMs, state.BytesReceived, _clock.Size, (int)_schedule.SealedSent, (int)_schedule.PlainSent));
    }
}
