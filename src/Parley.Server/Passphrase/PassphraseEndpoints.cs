using System.Security.Claims;
using Parley.Core.Passphrase;
using Parley.Server.Accounts;

namespace Parley.Server.Passphrase;

/// <summary>The passphrase-session relay of docs/passphrase.md.</summary>
public static class PassphraseEndpoints
{
    public static void MapPassphraseEndpoints(this IEndpointRouteBuilder app)
    {
        var relay = app.MapGroup("/api/passphrase").WithTags("Passphrase").RequireAuthorization();
        relay.MapPost("/sessions", (StartPakeRequest request, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
            service.Start(user.UserId(), request, ct));
        relay.MapGet("/requests", (ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
            service.Pending(user.UserId(), ct));
        relay.MapGet("/sessions/{sessionId}", (string sessionId, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
            service.Get(user.UserId(), sessionId, ct));
        relay.MapPost("/slots/{slot:int}/claim", (int slot, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
            service.Claim(user.UserId(), slot, ct));
        relay.MapPost("/sessions/{sessionId}/answer", (string sessionId, AnswerPakeRequest request, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
            service.Answer(user.UserId(), sessionId, request, ct));
        relay.MapPost("/sessions/{sessionId}/confirm", (string sessionId, ConfirmPakeRequest request, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
            service.Confirm(user.UserId(), sessionId, request, ct));
        relay.MapPost("/sessions/{sessionId}/fail", (string sessionId, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
            service.ReportMismatch(user.UserId(), sessionId, ct));
        relay.MapPost("/sessions/{sessionId}/messages", (string sessionId, PakeFrameRequest request, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
            service.Relay(user.UserId(), user.UserName(), sessionId, request, ct));
        relay.MapGet("/sessions/{sessionId}/messages", (string sessionId, long? after, ClaimsPrincipal user, PassphraseRelay service, CancellationToken ct) =>
            service.Frames(user.UserId(), sessionId, after ?? 0, ct));
    }
}
