using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Parley.Server.Hosting;

/// <summary>
/// Server settings, bound from the "Parley" configuration section (appsettings, environment <c>Parley__…</c>, or command line).
/// The attributes are the checks made at start (<see cref="ParleyOptionsValidator"/>); the defaults are those of the shipped
/// appsettings.json (a test holds the two equal), and docs/deployment.md tables both.
/// </summary>
public sealed class ParleyOptions
{
    public const string Section = "Parley";

    /// <summary>Folder for the SQLite database and the blob store; created on first start.</summary>
    [Required]
    public string DataDirectory { get; set; } = "parley-data";

    /// <summary>
    /// What this node does. <c>All</c> (the default) plays every role in one process. Transfer tiers
    /// (SPEC §1): <c>Central</c>, <c>Edge</c>. Broadcast (SPEC §2): <c>Upload</c> issues tickets,
    /// <c>Broadcast</c> verifies them and fans pictures out; the two share the database.
    /// </summary>
    [EnumDataType(typeof(NodeRole))]
    public NodeRole Role { get; set; } = NodeRole.All;

    /// <summary>For an edge: the central node it asks for content it lacks.</summary>
    [HttpUrl]
    public string? CentralUrl { get; set; }

    [ValidateObjectMembers]
    public StorageOptions Storage { get; set; } = new();
    [ValidateObjectMembers]
    public NodeOptions Nodes { get; set; } = new();
    public BusOptions Bus { get; set; } = new();
    [ValidateObjectMembers]
    public TransferOptions Transfer { get; set; } = new();
    [ValidateObjectMembers]
    public PassphraseOptions Passphrase { get; set; } = new();
    [ValidateObjectMembers]
    public BroadcastOptions Broadcast { get; set; } = new();
    [ValidateObjectMembers]
    public LimitOptions Limits { get; set; } = new();
    [ValidateObjectMembers]
    public SignInOptions SignIn { get; set; } = new();
    [ValidateObjectMembers]
    public SessionOptions Sessions { get; set; } = new();
    [ValidateObjectMembers]
    public MetricsOptions Metrics { get; set; } = new();
    public TelemetryOptions Telemetry { get; set; } = new();
    [ValidateObjectMembers]
    public RateOptions Rates { get; set; } = new();
    /// <summary>User names that may publish the scanning feature library (docs/scanning.md).</summary>
    public List<string> Operators { get; set; } = [];
}

public sealed class LimitOptions
{
    /// <summary>Largest JSON request body accepted by the API; bigger bodies get 413 <c>request.too_large</c>.</summary>
    [Range(typeof(long), "1024", "1073741824")]
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    [Range(1, 1_000_000)]
    public int MaxMessageLength { get; set; } = Core.Messaging.MessageRules.DefaultMaxTextLength;
}

/// <summary>Rate limits on password checks (registration and sign-in): per client address, and failures per account.</summary>
public sealed class SignInOptions
{
    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; } = 10;
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Failed sign-ins one account may take within <see cref="AccountWindow"/>, whatever the addresses they come from;
    /// then the account answers 429 until the oldest failure leaves the window. Sign-ins naming one of the account's
    /// registered devices are exempt, so an attacker cannot lock the owner out of the devices they already use.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int AccountFailureLimit { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan AccountWindow { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>Per-user rates (token buckets: a sustained rate per second and a burst).</summary>
public sealed class RateOptions
{
    [Range(1, int.MaxValue)]
    public int RequestsPerSecond { get; set; } = 20;
    [Range(1, int.MaxValue)]
    public int RequestBurst { get; set; } = 100;
    [Range(1, int.MaxValue)]
    public int MessagesPerSecond { get; set; } = 5;
    [Range(1, int.MaxValue)]
    public int MessageBurst { get; set; } = 20;
}

public sealed class SessionOptions
{
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(30);
}

public enum NodeRole { All, Central, Edge, Upload, Broadcast }

public static class NodeRoles
{
    public static bool IssuesTickets(this NodeRole role) => role != NodeRole.Broadcast;
    public static bool ServesBroadcasts(this NodeRole role) => role != NodeRole.Upload;
}

public sealed class StorageOptions
{
    /// <summary>
    /// PostgreSQL shared by every node (<c>postgres://user:pass@host:port/db</c> or Npgsql's <c>Host=…;Database=…</c>);
    /// empty means SQLite in <see cref="ParleyOptions.DataDirectory"/>, for a single process.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Where media files live: chunk files in <c>blobs/</c>, unfinished uploads in <c>uploads/</c>. Every node of a
    /// deployment must see the same folder (a shared mount), since any node may receive a chunk or a resumed upload
    /// and any node may serve it. Empty means the data folder, for a single process.
    /// </summary>
    public string? MediaDirectory { get; set; }

    /// <summary>
    /// How long a database statement may wait (for a SQLite writer ahead of it, a PostgreSQL lock, a slow server)
    /// before the request gives up and answers 503 <c>server.unavailable</c> with Retry-After. Whole seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
}

public sealed class NodeOptions
{
    /// <summary>
    /// Shared secret for node-to-node calls. A central node without one generates it on first start
    /// into <c>&lt;data&gt;/node.key</c>; an edge must be given the central's key.
    /// </summary>
    [MinLength(16)]
    public string? Key { get; set; }
}

public sealed class BusOptions
{
    /// <summary>
    /// <c>redis://[:password@]host:port</c>: the Redis that carries live events between nodes (SignalR
    /// backplane) and the node bus (sign-outs, ticket pushes). Unset: no Redis, see docs/deployment.md.
    /// </summary>
    public string? Connection { get; set; }
}

public sealed class TransferOptions
{
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxBlobBytes { get; set; } = 8L * 1024 * 1024 * 1024;

    /// <summary>A transfer or upload that makes no progress for this long is abandoned and collected.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan UploadExpiry { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the collector expires abandoned transfers and deletes unreferenced blobs.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "30.00:00:00")]
    public TimeSpan CollectEvery { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Transfers a user may leave undelivered (unanswered or failed challenges, abandoned or failed
    /// uploads) within <see cref="UnfinishedWindow"/> before new ones are refused: each probe of the
    /// proof of ownership costs one.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxUnfinishedTransfers { get; set; } = 30;

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan UnfinishedWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How old a file the database does not know (left by a crash) must be before the collector removes it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan StrayFileGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Uploads one user may have open at once.</summary>
    [Range(1, int.MaxValue)]
    public int MaxOpenUploads { get; set; } = 8;

    /// <summary>Bytes one user's open uploads may still be owed (declared lengths minus what arrived).</summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxOutstandingUploadBytes { get; set; } = 16L * 1024 * 1024 * 1024;

    /// <summary>Bytes of content one user may have stored by uploading it (content deduplicated against what was already stored costs nothing).</summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long MaxStoredBytesPerUser { get; set; } = 100L * 1024 * 1024 * 1024;
}

public sealed class PassphraseOptions : IValidatableObject
{
    /// <summary>T1: the longest time from a session request to its answer.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AnswerTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>T2: the longest time from a session request to the initiator's confirmation.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ConfirmTimeout { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Guesses a user may have charged (sessions that did not connect, missed slot claims) within
    /// <see cref="FailureWindow"/> before being refused; docs/passphrase.md says who is charged when.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int MaxFailures { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Open (not yet connected) sessions one user may have, so nobody can hold every code slot.</summary>
    [Range(1, int.MaxValue)]
    public int MaxOpenSessions { get; set; } = 5;

    /// <summary>Code-slot claims (found or not) one user may make within <see cref="ClaimWindow"/>, so slots cannot be swept.</summary>
    [Range(1, int.MaxValue)]
    public int MaxClaims { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan ClaimWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Both deadlines run from the request, so a T2 not after T1 would leave no time to confirm an answer.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (ConfirmTimeout <= AnswerTimeout)
            yield return new("The field Parley:Passphrase:ConfirmTimeout must be longer than Parley:Passphrase:AnswerTimeout.", [nameof(ConfirmTimeout)]);
    }
}

public sealed class BroadcastOptions
{
    /// <summary>How long a ticket may be used after it is issued: short, so a leaked ticket is soon worthless.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan TicketLifetime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Encrypt tickets with the current dynamic key (the header then carries the encryption marker).</summary>
    public bool EncryptTickets { get; set; } = true;

    /// <summary>A new dynamic key after this long; old keys stay until every ticket they sealed has expired.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan KeyRotation { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Pushed tickets the broadcast role keeps (one per client, the newest); beyond this the soonest to expire go first.</summary>
    [Range(1, int.MaxValue)]
    public int StoreCapacity { get; set; } = 100_000;

    /// <summary>Pictures decoded for previews at once; more broadcasts wait their turn, so memory stays bounded.</summary>
    [Range(1, 256)]
    public int MaxConcurrentDecodes { get; set; } = 2;

    /// <summary>For a broadcast node: the upload node it verifies tickets with and takes pictures from.</summary>
    [HttpUrl]
    public string? UploadUrl { get; set; }

    /// <summary>For an upload node: the broadcast node it pushes tickets to and advertises to clients.</summary>
    [HttpUrl]
    public string? BroadcastUrl { get; set; }
}

public sealed class MetricsOptions
{
    /// <summary>
    /// <c>Loopback</c> (default): only clients on this machine; <c>Token</c>: anyone presenting <see cref="Token"/>;
    /// <c>Port</c>: anyone reaching <see cref="Port"/>, which serves nothing else; <c>Off</c>: no endpoint.
    /// </summary>
    public MetricsAccess Access { get; set; } = MetricsAccess.Loopback;

    /// <summary>The bearer token scrapers present when <see cref="Access"/> is <c>Token</c>.</summary>
    public string? Token { get; set; }

    /// <summary>The port (on every interface) that serves <c>/metrics</c> when <see cref="Access"/> is <c>Port</c>.</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }
}
