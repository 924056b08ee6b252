using System.Data.Common;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Accounts;
using Parley.Core.Problems;
using Parley.Server.ApiDocs;
using Parley.Server.Hosting;
using Parley.Server.Problems;
using Parley.Server.Realtime;
using Parley.Server.Storage;

namespace Parley.Server.Accounts;

/// <summary>Registration, sign-in and sign-out, and the devices of the signed-in user.</summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var accounts = app.MapGroup("/api").WithTags("Accounts");
        accounts.MapPost("/accounts", Register).RequireRateLimiting(RateLimits.SignIn)
            .WithName("Register").WithSummary("Register an account")
            .WithDescription("Creates a user with a name (3–32 of a-z 0-9 _ . -, case-insensitive) and a password (8–256 characters). Rate limited per client address.")
            .ProducesProblems(ProblemCodes.AccountInvalidName, ProblemCodes.AccountWeakPassword, ProblemCodes.AccountNameTaken);
        accounts.MapPost("/sessions", SignIn).RequireRateLimiting(RateLimits.SignIn)
            .WithName("SignIn").WithSummary("Sign in")
            .WithDescription("Answers a bearer token for `Authorization: Bearer <token>`. Naming a registered `deviceId` binds the session to that device and "
                + "lets it sign in while the account is throttled for failed attempts.")
            .ProducesProblems(ProblemCodes.AuthInvalidCredentials, ProblemCodes.AuthAccountThrottled, ProblemCodes.DeviceNotFound);
        accounts.MapDelete("/sessions/current", SignOut).RequireAuthorization()
            .WithName("SignOut").WithSummary("Sign out")
            .WithDescription("Revokes this token at once and closes its live connections.");
        accounts.MapGet("/me", Me).RequireAuthorization()
            .WithName("GetMe").WithSummary("Who this token is").WithDescription("The signed-in user and the device the session is bound to, if any.");

        var devices = app.MapGroup("/api/devices").WithTags("Accounts").RequireAuthorization();
        devices.MapPost("/", RegisterDevice)
            .WithName("RegisterDevice").WithSummary("Register this install's device key")
            .WithDescription("Registers an ECDSA P-256 public key (base64 SubjectPublicKeyInfo) with a proof: its signature over "
                + "`parley-device-v1\\n{userId}\\n{publicKey}`. The session is bound to the new device.")
            .ProducesProblems(ProblemCodes.DeviceInvalidName, ProblemCodes.DeviceInvalidKey, ProblemCodes.DeviceInvalidProof, ProblemCodes.DeviceKeyTaken);
        devices.MapGet("/", ListDevices)
            .WithName("ListDevices").WithSummary("List my devices").WithDescription("The signed-in user's registered devices, oldest first.");
        devices.MapDelete("/{deviceId}", RevokeDevice)
            .WithName("RevokeDevice").WithSummary("Revoke one of my devices")
            .WithDescription("Removes a lost or retired device: every session bound to it is signed out at once (its live connections "
                + "closed), its key no longer verifies shares or plays, and naming it at sign-in is refused. Revoking the device of this "
                + "session signs this session out too.")
            .ProducesProblems(ProblemCodes.DeviceNotFound);
    }

    private static async Task<Results<Created<UserDto>, ProblemHttpResult>> Register(
        RegisterRequest request, ParleyDbContext db, IPasswordHasher<User> hasher, TimeProvider clock, CancellationToken ct)
    {
        if (!AccountRules.TryNormalizeUserName(request.UserName, out var userName))
            return new Refusal(ProblemCodes.AccountInvalidName,
                $"User names are {AccountRules.MinNameLength}–{AccountRules.MaxNameLength} characters: letters, digits, '_', '.', '-', starting with a letter or digit.").ToProblem();
        if (!AccountRules.IsAcceptablePassword(request.Password))
            return new Refusal(ProblemCodes.AccountWeakPassword,
                $"Passwords are {AccountRules.MinPasswordLength}–{AccountRules.MaxPasswordLength} characters long.").ToProblem();
        if (await db.Users.AnyAsync(u => u.UserName == userName, ct))
            return NameTaken(userName);

        var user = new User { Id = Ids.New("u"), UserName = userName, PasswordHash = "", CreatedAt = clock.Now() };
        user.PasswordHash = hasher.HashPassword(user, request.Password);
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two registrations of one name raced; the unique index let exactly one through.
            return NameTaken(userName);
        }
        return TypedResults.Created($"/api/users/{user.UserName}", new UserDto(user.Id, user.UserName));
    }

    private static ProblemHttpResult NameTaken(string userName) =>
        new Refusal(ProblemCodes.AccountNameTaken, $"The user name '{userName}' is taken.").ToProblem();

    private static async Task<Results<Ok<SessionDto>, ProblemHttpResult>> SignIn(
        SignInRequest request, ParleyDbContext db, IPasswordHasher<User> hasher, TimeProvider clock,
        IOptions<ParleyOptions> options, AccountSignInThrottle throttle, AccountMetrics metrics, HttpContext context, CancellationToken ct)
    {
        var invalid = new Refusal(ProblemCodes.AuthInvalidCredentials, "Wrong user name or password.").ToProblem();
        ProblemHttpResult Refuse(AccountMetrics.SignInFailure reason, string name, ProblemHttpResult answer)
        {
            metrics.SignInFailed(reason, name, context.Connection.RemoteIpAddress);
            return answer;
        }
        if (!AccountRules.TryNormalizeUserName(request.UserName, out var userName)) return Refuse(AccountMetrics.SignInFailure.UnknownUser, "(invalid)", invalid);
        var user = await db.Users.SingleOrDefaultAsync(u => u.UserName == userName, ct);
        if (user is null)
        {
            // Spend the same work as a real check so response time does not reveal which names exist.
            hasher.HashPassword(new User { Id = "", UserName = userName, PasswordHash = "", CreatedAt = default }, request.Password);
            return Refuse(AccountMetrics.SignInFailure.UnknownUser, userName, invalid);
        }
        var knownDevice = request.DeviceId is not null && await db.Devices.AnyAsync(d => d.Id == request.DeviceId && d.UserId == user.Id, ct);
        // The owner's registered devices keep signing in while strangers' guesses are throttled (docs/security.md).
        if (!knownDevice && await throttle.RetryAfter(user.Id, ct) is { } wait)
        {
            RateLimits.SetRetryAfter(context.Response, wait);
            return Refuse(AccountMetrics.SignInFailure.Throttled, userName, new Refusal(ProblemCodes.AuthAccountThrottled,
                "Too many failed sign-ins at this account; sign in from one of its registered devices, or retry after the time in Retry-After.").ToProblem());
        }
        var verdict = hasher.VerifyHashedPassword(user, user.PasswordHash, request.Password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            await throttle.Failed(user.Id, ct);
            return Refuse(AccountMetrics.SignInFailure.WrongPassword, userName, invalid);
        }
        await throttle.Succeeded(user.Id, ct);
        if (verdict == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = hasher.HashPassword(user, request.Password);

        if (request.DeviceId is not null && !knownDevice) return DeviceNotFound();

        var now = clock.Now();
        var token = SessionTokens.NewToken();
        SessionTokens.TryHash(token, out var hash);
        var session = new Session
        {
            Id = Ids.New("s"), TokenHash = hash, UserId = user.Id, DeviceId = request.DeviceId,
            CreatedAt = now, ExpiresAt = now + options.Value.Sessions.Lifetime,
        };
        db.Sessions.Add(session);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (request.DeviceId is not null)
        {
            // The device was revoked between the check above and this insert: its foreign key refused the session.
            return DeviceNotFound();
        }
        return TypedResults.Ok(new SessionDto(token, user.Id, user.UserName, session.DeviceId, session.ExpiresAt));
    }

    private static async Task<NoContent> SignOut(
        ClaimsPrincipal principal, ParleyDbContext db, SessionCache sessions, LiveConnections live, CancellationToken ct)
    {
        var sessionId = principal.SessionId();
        await db.Sessions.Where(s => s.Id == sessionId).ExecuteDeleteAsync(ct);
        await Ended([sessionId], sessions, live, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Sessions whose rows are deleted stop working: here at once, and CloseSession's bus message does the same on the other nodes.</summary>
    private static async Task Ended(IEnumerable<string> sessionIds, SessionCache sessions, LiveConnections live, CancellationToken ct)
    {
        foreach (var sessionId in sessionIds)
        {
            sessions.ForgetHere(sessionId);
            await live.CloseSession(sessionId, ct);
        }
    }

    private static Ok<MeDto> Me(ClaimsPrincipal principal) =>
        TypedResults.Ok(new MeDto(principal.UserId(), principal.UserName(), principal.DeviceId()));

    private static async Task<Results<Created<DeviceDto>, ProblemHttpResult>> RegisterDevice(
        RegisterDeviceRequest request, ClaimsPrincipal principal, ParleyDbContext db, SessionCache sessions, TimeProvider clock, CancellationToken ct)
    {
        var userId = principal.UserId();
        var name = request.Name.Trim();
        if (name.Length is 0 or > DeviceKeyRules.MaxDeviceNameLength || name.Any(char.IsControl))
            return new Refusal(ProblemCodes.DeviceInvalidName, $"Device names are 1–{DeviceKeyRules.MaxDeviceNameLength} printable characters.").ToProblem();
        if (!DeviceKeyRules.TryImportPublicKey(request.PublicKey, out var spki))
            return new Refusal(ProblemCodes.DeviceInvalidKey, "The public key must be a base64 SubjectPublicKeyInfo of an ECDSA P-256 key.").ToProblem();
        if (!DeviceKeyRules.VerifyProof(spki, userId, request.PublicKey, request.Proof))
            return new Refusal(ProblemCodes.DeviceInvalidProof, "The proof is not a valid signature of this user's device message by that key.").ToProblem();
        if (await db.Devices.AnyAsync(d => d.PublicKey == spki, ct))
            return new Refusal(ProblemCodes.DeviceKeyTaken, "That key is already registered as a device.").ToProblem();

        var device = new Device { Id = Ids.New("d"), UserId = userId, Name = name, PublicKey = spki, CreatedAt = clock.Now() };
        db.Devices.Add(device);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new Refusal(ProblemCodes.DeviceKeyTaken, "That key is already registered as a device.").ToProblem();
        }
        // The session that registered the device is that device's session from now on.
        var sessionId = principal.SessionId();
        await db.Sessions.Where(s => s.Id == sessionId).ExecuteUpdateAsync(s => s.SetProperty(x => x.DeviceId, device.Id), ct);
        await sessions.Changed(sessionId, ct);
        return TypedResults.Created($"/api/devices/{device.Id}", ToDto(device));
    }

    private static async Task<Ok<DeviceDto[]>> ListDevices(ClaimsPrincipal principal, ParleyDbContext db, CancellationToken ct)
    {
        var userId = principal.UserId();
        var devices = await db.Devices.AsNoTracking().Where(d => d.UserId == userId).ToListAsync(ct);
        return TypedResults.Ok(devices.OrderBy(d => d.CreatedAt).Select(ToDto).ToArray());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeDevice(
        string deviceId, ClaimsPrincipal principal, ParleyDbContext db, SessionCache sessions, LiveConnections live, CancellationToken ct)
    {
        var userId = principal.UserId();
        // A sign-in naming the device may add a session between the two deletes; the device's delete then fails on that
        // session's foreign key, and another round signs it out too.
        for (var attempt = 1; ; attempt++)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (!await db.Devices.AnyAsync(d => d.Id == deviceId && d.UserId == userId, ct)) return DeviceNotFound();
            var bound = await db.Sessions.Where(s => s.DeviceId == deviceId).Select(s => s.Id).ToListAsync(ct);
            try
            {
                await db.Sessions.Where(s => s.DeviceId == deviceId).ExecuteDeleteAsync(ct);
                await db.Devices.Where(d => d.Id == deviceId).ExecuteDeleteAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbException) when (attempt < MaxRevokeAttempts)
            {
                await tx.RollbackAsync(ct);
                continue;
            }
            await Ended(bound, sessions, live, ct);
            return TypedResults.NoContent();
        }
    }

    private const int MaxRevokeAttempts = 3;

    private static ProblemHttpResult DeviceNotFound() =>
        new Refusal(ProblemCodes.DeviceNotFound, "That device is not registered to this user (never was, or was revoked); register the device again.").ToProblem();

    private static DeviceDto ToDto(Device d) => new(d.Id, d.Name, Convert.ToBase64String(d.PublicKey), d.CreatedAt);
}
