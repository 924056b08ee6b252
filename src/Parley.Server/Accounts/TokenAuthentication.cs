using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Problems;
using Parley.Core.Realtime;
using Parley.Server.Problems;
using Parley.Server.Storage;

namespace Parley.Server.Accounts;

/// <summary>
/// Authenticates <c>Authorization: Bearer pt_…</c> against the sessions table (through <see cref="SessionCache"/>,
/// which sign-outs clear on every node), so a signed-out token stops working at once. Browsers cannot set headers on WebSockets, so the hub also accepts the
/// token as the <c>access_token</c> query parameter (the SignalR convention), on the hub path only.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ParleyDbContext db,
    SessionCache sessions,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ParleyToken";
    public const string SessionIdClaim = "parley:session";
    public const string DeviceIdClaim = "parley:device";
    public const string ExpiresAtClaim = "parley:expires";

    private const string PresentedTokenKey = "parley:token-presented";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var token = ReadToken();
        if (token is null) return AuthenticateResult.NoResult();
        Context.Items[PresentedTokenKey] = true;

        if (!SessionTokens.TryHash(token, out var hash)) return AuthenticateResult.Fail("Malformed token.");
        var found = await sessions.Find(db, hash, Context.RequestAborted);
        if (found is null || found.ExpiresAt <= clock.Now()) return AuthenticateResult.Fail("Unknown or expired token.");

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, found.UserId),
            new(ClaimTypes.Name, found.UserName),
            new(SessionIdClaim, found.SessionId),
            new(ExpiresAtClaim, found.ExpiresAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (found.DeviceId is { } deviceId) claims.Add(new Claim(DeviceIdClaim, deviceId));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private string? ReadToken()
    {
        string? header = Request.Headers.Authorization;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return header["Bearer ".Length..].Trim();
        if (Request.Path.StartsWithSegments(LiveEvents.HubPath))
            return Request.Query["access_token"].FirstOrDefault();
        return null;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = Context.Items.ContainsKey(PresentedTokenKey);
        var (code, detail) = presented
            ? (ProblemCodes.AuthInvalidToken, "The bearer token is unknown, expired or signed out; sign in again.")
            : (ProblemCodes.AuthRequired, "This endpoint needs a bearer token: sign in first.");
        Response.Headers.WWWAuthenticate = "Bearer";
        await Problem.WriteAsync(Context, new Refusal(code, detail));
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problem.WriteAsync(Context, new Refusal(ProblemCodes.AuthForbidden, "This token may not do that."));
}

public static class CurrentUser
{
    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Endpoint is not behind authorization.");

    public static string UserName(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name)!;

    public static string SessionId(this ClaimsPrincipal user) => user.FindFirstValue(TokenAuthenticationHandler.SessionIdClaim)!;

    public static string? DeviceId(this ClaimsPrincipal user) => user.FindFirstValue(TokenAuthenticationHandler.DeviceIdClaim);

    /// <summary>When the presented token stops being valid.</summary>
    public static DateTimeOffset SessionExpiresAt(this ClaimsPrincipal user) =>
        DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(user.FindFirstValue(TokenAuthenticationHandler.ExpiresAtClaim)!, System.Globalization.CultureInfo.InvariantCulture));
}
