using Parley.Core.Messaging;
using Parley.Core.Transfer;

namespace Parley.Client.Transfer;

/// <summary>Where and how <see cref="ParleyClient.SendFileAsync"/> sends a file. Name exactly one of <see cref="Room"/> and <see cref="To"/>.</summary>
public sealed record SendFileOptions
{
    /// <summary>The id of a room the sender is a member of.</summary>
    public string? Room { get; init; }

    /// <summary>A user name: the file goes to the direct room of the two users.</summary>
    public string? To { get; init; }

    /// <summary>Defaults to a guess from the file's extension (<see cref="MediaTypes.FromFileName"/>).</summary>
    public string? MediaType { get; init; }

    /// <summary>The name receivers see; defaults to the file's own name.</summary>
    public string? FileName { get; init; }

    public IProgress<TransferProgress>? Progress { get; init; }

    /// <summary>Remembers unfinished uploads, so sending the same file to the same target again continues where it stopped.</summary>
    public IUploadResumeStore? ResumeStore { get; init; }

    /// <summary>Caps the upload rate, like <c>curl --limit-rate</c>; null for as fast as the network goes.</summary>
    public long? MaxUploadBytesPerSecond { get; init; }

    /// <summary>
    /// A passphrase session's ciphertext (<c>sealed</c> on the wire): sent to the peer without an identifier, since the
    /// server cannot scan it; the plaintext was scanned before it was encrypted.
    /// </summary>
    internal bool Sealed { get; init; }

    /// <summary>The target as the resume store keys it: <c>room:r_…</c> or <c>to:bob</c>.</summary>
    internal string Target => (Room, To) switch
    {
        ({ } room, null) => "room:" + room,
        (null, { } user) => "to:" + user,
        _ => throw new ArgumentException("Name exactly one target: Room or To."),
    };
}

/// <param name="ContentId">The file's content id, <c>sha256:…</c>.</param>
/// <param name="BytesUploaded">Bytes this call added to the server's copy: the size for new content, 0 for a dedup hit, less when resuming or partial.</param>
/// <param name="Dedup">Which tier already had the content (or some of its chunks).</param>
/// <param name="Message">The message that delivered the file.</param>
public sealed record SendFileResult(string ContentId, long Size, long BytesUploaded, DedupTier Dedup, string TransferId, MessageDto Message);

/// <param name="Path">The full path the verified file was saved to.</param>
public sealed record FetchedMedia(string ContentId, long Size, string Path);

/// <summary>
/// What a transfer is doing: <see cref="Hashing"/> the file (its first detection and content id), <see cref="Chunking"/> it
/// (its chunk manifest, only when the server said bytes must travel), then <see cref="Uploading"/>; or <see cref="Downloading"/>.
/// </summary>
public enum TransferPhase { Hashing, Uploading, Downloading, Chunking }

/// <summary>Bytes done out of the phase's total: the file's size while hashing or chunking, the upload's or download's length after.</summary>
public readonly record struct TransferProgress(TransferPhase Phase, long Done, long Total);

/// <summary>Codes of transfer failures the client detects itself, reported like the server's.</summary>
public static class TransferClientCodes
{
    /// <summary>Downloaded bytes that do not hash to the content id the server named; they were discarded.</summary>
    public const string HashMismatch = "client.hash_mismatch";
}
