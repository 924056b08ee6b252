using Parley.Core.Transfer;

namespace Parley.Server.Storage;

/// <summary>A stored blob: its content id (<c>sha256:…</c>) and the ordered chunks it is made of.</summary>
public sealed class Blob
{
    public required string Id { get; init; }
    public required long Size { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed class BlobChunk
{
    public required string BlobId { get; init; }
    public required int Index { get; init; }
    public required string ChunkId { get; init; }
    public required long Offset { get; init; }
    public required int Length { get; init; }
}

/// <summary>A content-defined chunk on disk, shared by every blob that contains it.</summary>
public sealed class Chunk
{
    public required string Id { get; init; }
    public required int Length { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

public sealed class Transfer
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required string ContentId { get; init; }
    public required long Size { get; init; }
    public required string RoomId { get; init; }
    public string? FileName { get; init; }
    public required string MediaType { get; init; }
    /// <summary>A broadcast transfer stores the picture and issues a ticket instead of posting a message.</summary>
    public bool ForBroadcast { get; init; }
    /// <summary>The sender's device, bound into a broadcast ticket.</summary>
    public string? DeviceId { get; init; }
    /// <summary>A passphrase session's encrypted file: no identifier, no second detection (docs/scanning.md).</summary>
    public bool Sealed { get; init; }
    /// <summary>The library version of the identifier the share came with.</summary>
    public long? IdentifierLibraryVersion { get; init; }
    public string? Ticket { get; set; }
    public required TransferState State { get; set; }
    /// <summary>Which tier has the content; after a proof that does not match it, the upload plan's tier.</summary>
    public required DedupTier Dedup { get; set; }
    /// <summary>True when the client sent a chunk manifest (stored as <see cref="TransferChunk"/> rows), with the announcement or after the proof.</summary>
    public required bool HasManifest { get; set; }
    /// <summary>Bytes the client must upload: the missing chunks, or the whole content.</summary>
    public required long UploadLength { get; set; }
    public byte[]? ChallengeNonce { get; init; }
    /// <summary>Unused since proofs cover the whole content (issue 14, defect 0); kept until a migration drops the column.</summary>
    public string? ChallengeRanges { get; init; }
    /// <summary>
    /// The proof the content must give for <see cref="ChallengeNonce"/>: from the stored copy for a
    /// hit; for a partial upload, the sender's answer, checked when the bytes are assembled.
    /// </summary>
    public byte[]? ExpectedProof { get; set; }
    /// <summary>Set when a proof is taken: one answer per challenge.</summary>
    public bool Proven { get; set; }
    public string? MessageId { get; set; }
    public string? Failure { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>One chunk of an open transfer's manifest; open transfers keep the chunks they rely on alive.</summary>
public sealed class TransferChunk
{
    public required string TransferId { get; init; }
    public required int Index { get; init; }
    public required string ChunkId { get; init; }
    public required int Length { get; init; }
    public required bool Missing { get; init; }
}

/// <summary>A tus upload: the bytes of one transfer, received into <c>&lt;data&gt;/uploads/{Id}</c>.</summary>
public sealed class Upload
{
    public required string Id { get; init; }
    public required string TransferId { get; init; }
    public required string UserId { get; init; }
    public required long Length { get; init; }
    public required long Offset { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>A ticket the upload role issued: the authoritative copy the broadcast role compares against.</summary>
public sealed class IssuedTicket
{
    public required string TicketId { get; init; }
    public required string UserId { get; init; }
    public required string Ticket { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>A ticket already used for a broadcast; kept until it expires, which is as long as a replay could matter.</summary>
public sealed class ConsumedTicket
{
    public required string TicketId { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
}
