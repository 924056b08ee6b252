using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Accounts;
using Parley.Core.Passphrase;
using Parley.Core.Problems;
using Parley.Core.Scanning;
using Parley.Core.Scanning.Identifier;
using Parley.Core.Transfer;
using Parley.Server.Problems;
using Parley.Server.Storage;

namespace Parley.Server.Scanning;

/// <summary>
/// The share path's checks at announcement (docs/scanning.md, "The share path"), in the contract's order: a sealed
/// share must go to a passphrase peer, quarantined content is not shared again, and every other share carries a
/// local security identifier signed by the caller's own registered device, for these bytes, against the current
/// library, recently.
/// </summary>
public sealed class ShareIdentifiers(ParleyDbContext db, FeatureLibraryService library, TimeProvider clock, IOptions<ScanningOptions> options)
{
    /// <summary>Every code <see cref="CheckAsync"/> refuses with, for the endpoints' OpenAPI declarations.</summary>
    public static readonly string[] Refusals =
    [
        ProblemCodes.ShareNotSealable, ProblemCodes.MediaQuarantined, ProblemCodes.ShareIdentifierMissing,
        ProblemCodes.ShareIdentifierInvalid, ProblemCodes.ShareIdentifierStale,
    ];

    /// <summary>What a share may go ahead with: the library version its identifier was checked against (null when sealed).</summary>
    public sealed record Accepted(long? LibraryVersion);

    public async Task<Outcome<Accepted>> CheckAsync(string userId, string? deviceId, ContentId contentId, CreateTransferRequest request, CancellationToken ct)
    {
        if (request.Sealed)
            return await IsSealable(userId, request, ct) ? new Accepted(null)
                : new Refusal(ProblemCodes.ShareNotSealable,
                    "Only a direct send (to) to someone you have a passphrase session with can be sealed; the server scans everything else.");
        var id = contentId.ToString();
        if (await QuarantineService.IsQuarantinedAsync(db, id, ct))
            return new Refusal(ProblemCodes.MediaQuarantined, "This media was quarantined: a feature of the library matched it after it was shared.");
        if (string.IsNullOrEmpty(request.ScanIdentifier))
            return new Refusal(ProblemCodes.ShareIdentifierMissing,
                "Media is shared with its scanIdentifier: check the file against the feature library on this device first, then sign it with the device key.");
        if (deviceId is null)
            return Invalid("This session has no device: register the device key (POST /api/devices) before sharing.");
        var device = await db.Devices.AsNoTracking().SingleOrDefaultAsync(d => d.Id == deviceId && d.UserId == userId, ct);
        if (device is null)
            return Invalid("The device of this session is no longer registered (revoked): register it again.");

        var current = await library.CurrentAsync(db, ct);
        var verifier = new IdentifierVerifier(clock, options.Value.IdentifierMaxAge, options.Value.IdentifierClockSkew);
        var check = verifier.Verify(request.ScanIdentifier, Convert.ToBase64String(device.PublicKey), contentId, current.Version);
        return check.Status switch
        {
            IdentifierStatus.Valid => new Accepted(check.Identifier!.LibraryVersion),
            IdentifierStatus.Stale => new Refusal(ProblemCodes.ShareIdentifierStale, check.Detail + " Update the feature library, check the file again and sign it anew.",
                Extensions: new Dictionary<string, object?> { [ShareRefusalMembers.LibraryVersion] = current.Version }),
            _ => Invalid(check.Detail),
        };
    }

    private static Refusal Invalid(string detail) => new(ProblemCodes.ShareIdentifierInvalid, detail);

    /// <summary>
    /// Sealed bytes are ciphertext the server cannot scan, so they may only travel where the passphrase protocol put
    /// them: to the peer of a session the relay saw established (either side may have started it).
    /// </summary>
    private async Task<bool> IsSealable(string userId, CreateTransferRequest request, CancellationToken ct)
    {
        if (request.ForBroadcast || request.Room is not null || !AccountRules.TryNormalizeUserName(request.To, out var name)) return false;
        var peerId = await db.Users.Where(u => u.UserName == name).Select(u => u.Id).SingleOrDefaultAsync(ct);
        return peerId is not null && await db.PakeSessions.AnyAsync(s => s.State == PakeState.Connected &&
            (s.InitiatorId == userId && s.ResponderId == peerId || s.InitiatorId == peerId && s.ResponderId == userId), ct);
    }
}
