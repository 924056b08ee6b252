using Parley.Client;
using Parley.Client.Views;
using Parley.Core.Problems;
using Parley.Core.Views;

namespace Parley.EndToEnd.Tests.Views;

/// <summary>
/// Dishonest players built from the client library's low-level steps (<see cref="PlaySession"/>): each starts a real play
/// with a real key agreement and then lies in one way. The protocol runs in real time, so they wait out the server's
/// periods as any player must. Each returns the play's final record.
/// </summary>
internal static class ReportBots
{
    /// <summary>Downloads nothing and reports, on time, that it is playing and has received the whole video.</summary>
    public static async Task<PlayRecordDto> ForgedAsync(ParleyClient client, string media)
    {
        using var play = await client.Views.StartPlayAsync(media);
        var (size, duration) = (play.Started.Size, play.Started.DurationMs);
        uint plain = 0;
        for (uint counter = 1; counter * play.Started.SealedEveryMs <= duration; counter++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(play.Started.SealedEveryMs));
            var position = (uint)Math.Min(counter * play.Started.SealedEveryMs, duration);
            var last = position >= duration;
            var report = new PlayReport(PlayReportFlags.Playing | (last ? PlayReportFlags.Ended : 0), counter, size, position, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            if (!await AcceptedAsync(() => play.SendSealedAsync(report))) return await play.GetRecordAsync();
            if (position % play.Started.PlainEveryMs == 0 && !await AcceptedAsync(() => play.SendPlainAsync(report with { Counter = ++plain })))
                return await play.GetRecordAsync();
        }
        return await play.EndAsync();
    }

    /// <summary>Downloads and reports honestly once, then sends that accepted sealed report again instead of a new one.</summary>
    public static async Task<PlayRecordDto> ReplayingAsync(ParleyClient client, string media)
    {
        using var play = await client.Views.StartPlayAsync(media);
        long received = 0;
        using (var response = await play.OpenStreamAsync(0, play.Started.Size / 2))
            received = (await response.Content.ReadAsByteArrayAsync()).Length;
        await Task.Delay(TimeSpan.FromMilliseconds(play.Started.SealedEveryMs));
        var envelope = play.Seal(new PlayReport(PlayReportFlags.Playing, 1, received, (uint)play.Started.SealedEveryMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        Assert.True(await AcceptedAsync(() => play.SendSealedEnvelopeAsync(envelope)), "the honest first report should pass");
        await Task.Delay(TimeSpan.FromMilliseconds(play.Started.SealedEveryMs));
        Assert.False(await AcceptedAsync(() => play.SendSealedEnvelopeAsync(envelope)), "the replayed report should be refused");
        return await play.GetRecordAsync();
    }

    /// <summary>Whether the server accepted the report; false when it refused it or had already ended the play.</summary>
    private static async Task<bool> AcceptedAsync(Func<Task<PlayReportAcceptedDto>> send)
    {
        try
        {
            await send();
            return true;
        }
        catch (ParleyApiException e) when (e.Code is ProblemCodes.ViewReportRejected or ProblemCodes.ViewPlayEnded)
        {
            return false;
        }
    }
}
