using System.Buffers.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Problems;
using Parley.Core.Views;
using Parley.Server.Problems;
using Parley.Server.Storage;

namespace Parley.Server.Views;

/// <summary>
/// Reports and the end of a play, judged by Core's <see cref="PlayJudge"/> against the play's stored state and the bytes
/// every node streamed to it. Each judged report is a versioned update of the play row: when two reports of one play
/// are judged at once (on one node or two), one saves and the other is judged again on the new state, where a duplicate
/// is a replay.
/// </summary>
public sealed class PlayReports(ParleyDbContext db, PlayJudge judge, PlayFinisher finisher, TimeProvider clock)
{
    private const int Attempts = 4;

    public static readonly string[] ReportRefusals =
        [ProblemCodes.ViewPlayNotFound, ProblemCodes.ViewPlayEnded, ProblemCodes.ViewReportMalformed, ProblemCodes.ViewReportRejected,
            ProblemCodes.RequestRateLimited];

    public static readonly string[] EndRefusals = [ProblemCodes.ViewPlayNotFound];

    private static readonly Refusal NotFound = new(ProblemCodes.ViewPlayNotFound, "You have no play of this id.");
    private static readonly Refusal Ended = new(ProblemCodes.ViewPlayEnded, "This play has ended; start a new one.");

    public async Task<Outcome<PlayReportAcceptedDto>> ReportAsync(string userId, string playId, PlayReportRequest request, CancellationToken ct)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var play = await db.Plays.SingleOrDefaultAsync(p => p.Id == playId && p.UserId == userId, ct);
            if (play is null) return NotFound;
            if (play.EndedAt is not null) return Ended;
            if (!ReportBody.TryRead(request, out var body)) return ReportBody.Malformed;
            try
            {
                return await JudgeAsync(play, body, ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
            }
        }
        // Only a flood of simultaneous reports to one play gets here: this one lost every round without being judged, so
        // the record stays as the winners left it and the client is told to slow down (docs/views.md: one of each kind at a time).
        return new Refusal(ProblemCodes.RequestRateLimited,
            "Too many reports to this play at once; send one report of each kind at a time.", RetryAfter: TimeSpan.FromSeconds(1));
    }

    private async Task<Outcome<PlayReportAcceptedDto>> JudgeAsync(Play play, ReportBody body, CancellationToken ct)
    {
        var state = play.ReadState();
        var video = await db.FactsAsync(play, ct);
        var siblings = await db.SiblingBytesAsync(play, ct);
        var now = clock.Now();
        using var key = PlayKey.FromBytes(play.KeyBytes);
        var judgement = body.Sealed is { } envelope
            ? judge.JudgeSealed(state, video, key, play.Id, envelope, now, play.BytesServed, siblings)
            : judge.JudgePlain(state, video, body.Plain, now, play.BytesServed, siblings);
        if (judgement.Expired)
        {
            await finisher.FinishAsync(play, state, video, now, byClient: false, ct);
            return Ended;
        }
        if (!judgement.Accepted)
        {
            await finisher.FinishAsync(play, state, video, now, byClient: false, ct);
            return Rejected(judgement.Reason!);
        }
        play.Sync(state);
        play.Version++;
        await db.SaveChangesAsync(ct);
        var (kind, mark, every) = body.Sealed is null
            ? (ReportKinds.Plain, state.LastPlain!, judge.Rules.PlainEvery)
            : (ReportKinds.Sealed, state.LastSealed!, judge.Rules.SealedEvery);
        return new PlayReportAcceptedDto(kind, mark.Counter, (long)every.TotalMilliseconds);
    }

    /// <summary>The client ends its play: the final verdict. A play already closed answers its record as it stands.</summary>
    public async Task<Outcome<PlayRecordDto>> EndAsync(string userId, string playId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var play = await db.Plays.SingleOrDefaultAsync(p => p.Id == playId && p.UserId == userId, ct);
            if (play is null) return NotFound;
            if (play.EndedAt is not null)
                return PlayRows.Record(play, await db.Users.Where(u => u.Id == userId).Select(u => u.UserName).SingleAsync(ct));
            try
            {
                return await finisher.FinishAsync(play, play.ReadState(), await db.FactsAsync(play, ct), clock.Now(), byClient: true, ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.ChangeTracker.Clear();
            }
        }
        return Ended;
    }

    private static Refusal Rejected(string reason) => new(ProblemCodes.ViewReportRejected,
        $"The report failed a check ({reason}); the play's record is illegal and the play has ended.",
        Extensions: new Dictionary<string, object?> { ["reason"] = reason });
}

/// <summary>A report request's one field, decoded: a sealed envelope (its length checked, its content only by the judge) or a parsed plain report.</summary>
internal readonly record struct ReportBody(byte[]? Sealed, PlayReport Plain)
{
    public static readonly Refusal Malformed = new(ProblemCodes.ViewReportMalformed,
        $"Give exactly one of sealed ({SealedReport.Length} bytes) or plain (a version-{PlayReport.Version} report of {PlayReport.Length} bytes), base64url.");

    public static bool TryRead(PlayReportRequest request, out ReportBody body)
    {
        body = default;
        if ((request.Sealed is null) == (request.Plain is null)) return false;
        var bytes = Decode(request.Sealed ?? request.Plain!);
        if (request.Sealed is not null)
        {
            if (bytes?.Length != SealedReport.Length) return false;
            body = new ReportBody(bytes, default);
            return true;
        }
        if (bytes is null || !PlayReport.TryRead(bytes, out var plain)) return false;
        body = new ReportBody(null, plain);
        return true;
    }

    private static byte[]? Decode(string text)
    {
        if (text.Length > 4 * SealedReport.Length) return null;
        try
        {
            return Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
