namespace Parley.Core.Transfer;

public sealed record ChunkDto(string Id, int Length);

/// <summary>Exactly one of <paramref name="Room"/> and <paramref name="To"/> names the target.</summary>
/// <param name="ForBroadcast">
/// Store the picture and answer with a broadcast ticket (docs/broadcast.md) instead of posting a message:
/// the upload role's half of a signed picture broadcast.
/// </param>
/// <param name="ScanIdentifier">
/// The local security identifier (docs/scanning.md): the sending device's signature that these bytes passed its
/// first detection against a feature library version. Required for every share except <paramref name="Sealed"/> ones.
/// </param>
/// <param name="Sealed">
/// The bytes are a passphrase session's end-to-end encrypted file (docs/passphrase.md) sent directly to the peer of
/// an established session: the server cannot see the plaintext, so only the sender's first detection applies.
/// </param>
public sealed record CreateTransferRequest(
    string ContentId,
    long Size,
    string? Room = null,
    string? To = null,
    string? FileName = null,
    string? MediaType = null,
    IReadOnlyList<ChunkDto>? Chunks = null,
    bool ForBroadcast = false,
    string? ScanIdentifier = null,
    bool Sealed = false);

public enum TransferState { Prove, Upload, Delivered, Failed }

/// <summary>Where the bytes came from: already here, from the central node, partly here, or all uploaded.</summary>
public enum DedupTier { Local, Central, Partial, None }

/// <summary>
/// An ownership challenge (docs/transfer.md, "Proof of ownership"): the proof is HMAC-SHA256(nonce, the challenged
/// blocks of <paramref name="BlockLength"/> bytes, ascending); every block when the content has at most
/// <paramref name="Blocks"/>, otherwise <paramref name="Blocks"/> blocks drawn from the nonce.
/// </summary>
/// <param name="Nonce">32 random bytes, base64: the key of the proof and the seed of the draw.</param>
public sealed record ChallengeDto(string Nonce, int BlockLength, int Blocks);

/// <param name="MissingChunks">Indices into the manifest's chunks, ascending; null when the whole content is uploaded.</param>
/// <param name="AcceptsManifest">True while the transfer has no manifest and no upload yet: giving one may shorten the upload.</param>
public sealed record UploadPlanDto(string Endpoint, long Length, IReadOnlyList<int>? MissingChunks, bool AcceptsManifest = false);

/// <param name="Dedup">Null while the transfer waits for its proof: which tier has the content is told only to someone who proved they hold it.</param>
public sealed record TransferDto(
    string Id,
    TransferState State,
    DedupTier? Dedup,
    string ContentId,
    long Size,
    ChallengeDto? Challenge,
    UploadPlanDto? Upload,
    Messaging.MessageDto? Message,
    string? Failure,
    string? Ticket = null);

public sealed record ProofRequest(string Proof);

/// <summary>
/// The content's FastCDC chunks, in order, given after the proof when the server's answer is <c>upload</c> and the
/// transfer was announced without them (<c>PUT /api/transfers/{id}/manifest</c>): the plan then names the missing ones.
/// </summary>
public sealed record ManifestRequest(IReadOnlyList<ChunkDto> Chunks);

/// <summary>What a message carries when it delivers media.</summary>
/// <param name="Broadcast">True when the picture came as a signed broadcast whose ticket the broadcast role verified (docs/broadcast.md).</param>
/// <param name="Quarantined">True while a newer feature library matches the media: it is not served (<c>media.quarantined</c>, docs/scanning.md).</param>
public sealed record MediaDto(string ContentId, long Size, string MediaType, string? FileName, bool Broadcast = false, bool Quarantined = false);

/// <summary>Edge → central: "do you have this content? If so, answer this challenge over your copy."</summary>
public sealed record CentralQueryRequest(string ContentId, long Size, string? Target, ChallengeDto Challenge);

/// <param name="Proof">The expected proof, base64, when <paramref name="Present"/>.</param>
public sealed record CentralQueryResponse(bool Present, string? Proof);

public static class TransferRules
{
    public const int MaxFileNameLength = 255;
    public const int MaxMediaTypeLength = 127;
    public const string DefaultMediaType = "application/octet-stream";

    /// <summary>Pictures a broadcast may carry: raster images (SVG can carry script, so it is a document, not a picture).</summary>
    public static bool IsPicture(string mediaType) => mediaType.StartsWith("image/", StringComparison.Ordinal) && mediaType != "image/svg+xml";

    /// <summary>A bare <c>type/subtype</c> token pair; parameters and anything exotic fall back to octet-stream.</summary>
    public static string NormalizeMediaType(string? mediaType)
    {
        if (string.IsNullOrWhiteSpace(mediaType) || mediaType.Length > MaxMediaTypeLength) return DefaultMediaType;
        var value = mediaType.Trim().ToLowerInvariant();
        var slash = value.IndexOf('/');
        if (slash <= 0 || slash == value.Length - 1 || value.IndexOf('/', slash + 1) >= 0) return DefaultMediaType;
        return value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '+' or '-' or '_') ? value : DefaultMediaType;
    }

    /// <summary>Keeps the last path segment, without control characters; a file name is a label, never a path.</summary>
    public static string? NormalizeFileName(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName)) return null;
        var name = fileName.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name is "" or "." or "..") return null;
        return name.Length > MaxFileNameLength ? name[..MaxFileNameLength] : name;
    }
}
