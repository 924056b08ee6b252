using System.Security.Claims;
using Parley.Core.Passphrase;
using Parley.Core.Problems;
using Parley.Server.Accounts;
using Parley.Server.ApiDocs;
using Parley.Server.Problems;

namespace Parley.Server.Passphrase;

/// <summary>The passphrase-session relay of docs/passphrase.md; <see cref="PassphraseRelay"/> decides, these map its outcomes to HTTP.</summary>
public static class PassphraseEndpoints
{
    public static void MapPassphraseEndpoints(this IEndpointRouteBuilder app)
    {
        var relay = app.MapGroup("/api/passphrase").WithTags("Passphrase").RequireAuthorization();
        relay.MapPost("/sessions", (StartPakeRequest request, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
                service.Start(user.UserId(), request, ct).ToCreated(session => $"/api/passphrase/sessions/{session.Id}"))
            .WithName("StartPassphraseSession").WithSummary("Start a passphrase session")
            .WithDescription("Opens a SPAKE2 handshake with the initiator's share, either with a named user (`to`) or under a code slot anyone "
                + "may claim (`code: true`). The responder has until T1 to answer, the initiator until T2 to confirm.")
            .ProducesProblems(ProblemCodes.PassphraseInvalidShare, ProblemCodes.PassphraseRateLimited, ProblemCodes.UserNotFound,
                ProblemCodes.PassphraseSelf, ProblemCodes.PassphraseNoSlot);
        relay.MapGet("/requests", async (ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
                TypedResults.Ok(await service.Pending(user.UserId(), ct)))
            .WithName("ListPassphraseRequests").WithSummary("List requests waiting for me")
            .WithDescription("Named sessions waiting for the caller's answer, oldest first, until T1 passes.");
        relay.MapGet("/sessions/{sessionId}", (string sessionId, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
                service.Get(user.UserId(), sessionId, ct).ToOk())
            .WithName("GetPassphraseSession").WithSummary("Get a passphrase session").WithDescription("A session the caller is a party of.")
            .ProducesProblems(ProblemCodes.PassphraseNotFound);
        relay.MapPost("/slots/{slot:int}/claim", (int slot, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
                service.Claim(user.UserId(), slot, ct).ToOk())
            .WithName("ClaimPassphraseSlot").WithSummary("Claim a code slot")
            .WithDescription("Becomes the responder of the session waiting under this code slot (1–999). Every claim counts toward the "
                + "caller's claim rate; a slot with nothing to claim answers 404 whatever the reason.")
            .ProducesProblems(ProblemCodes.PassphraseSelf, ProblemCodes.PassphraseRateLimited, ProblemCodes.PassphraseNotFound);
        relay.MapPost("/sessions/{sessionId}/answer", (string sessionId, AnswerPakeRequest request, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
                service.Answer(user.UserId(), sessionId, request, ct).ToOk())
            .WithName("AnswerPassphraseSession").WithSummary("Answer (responder)")
            .WithDescription("The responder's share, key confirmation and random, before T1.")
            .ProducesProblems(ProblemCodes.PassphraseNotFound, ProblemCodes.PassphraseInvalidShare, ProblemCodes.PassphraseTimeoutT1, ProblemCodes.PassphraseWrongState);
        relay.MapPost("/sessions/{sessionId}/confirm", (string sessionId, ConfirmPakeRequest request, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
                service.Confirm(user.UserId(), sessionId, request, ct).ToOk())
            .WithName("ConfirmPassphraseSession").WithSummary("Confirm (initiator)")
            .WithDescription("The initiator's key confirmation and random, before T2; the session is then connected for both sides.")
            .ProducesProblems(ProblemCodes.PassphraseNotFound, ProblemCodes.PassphraseInvalidShare, ProblemCodes.PassphraseTimeoutT2, ProblemCodes.PassphraseWrongState);
        relay.MapPost("/sessions/{sessionId}/fail", (string sessionId, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
                service.ReportMismatch(user.UserId(), sessionId, ct).ToOk())
            .WithName("FailPassphraseSession").WithSummary("End a session")
            .WithDescription("Ends the session as `passphrase.mismatch`: the caller's key confirmation failed, or it gives up. "
                + "Who is charged the guess follows from the state (docs/passphrase.md).")
            .ProducesProblems(ProblemCodes.PassphraseNotFound);
        relay.MapPost("/sessions/{sessionId}/messages", (string sessionId, PakeFrameRequest request, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
                service.Relay(user.UserId(), user.UserName(), sessionId, request, ct).ToCreated(frame => $"/api/passphrase/sessions/{frame.SessionId}/messages"))
            .WithName("SendPassphraseFrame").WithSummary("Relay a frame")
            .WithDescription($"Relays an encrypted frame (1–{PakeRules.MaxFrameLength} bytes, base64) to the other party of a connected session; the server cannot read it.")
            .ProducesProblems(ProblemCodes.PassphraseNotFound, ProblemCodes.PassphraseWrongState, ProblemCodes.PassphraseInvalidFrame);
        relay.MapGet("/sessions/{sessionId}/messages", (string sessionId, long? after, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
                service.Frames(user.UserId(), sessionId, after ?? 0, ct).ToOk())
            .WithName("ListPassphraseFrames").WithSummary("Read relayed frames")
            .WithDescription("The session's frames after sequence number `after`, oldest first, 200 at most; `hasMore` says whether to go on.")
            .ProducesProblems(ProblemCodes.PassphraseNotFound);
    }
}
