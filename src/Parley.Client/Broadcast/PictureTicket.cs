using Parley.Core.Transfer;

namespace Parley.Client.Broadcast;

/// <summary>The upload role's answer to a broadcast transfer: the picture is stored and this ticket lets its sender broadcast it once.</summary>
/// <param name="Ticket">For <see cref="ParleyClient.BroadcastAsync"/>: single use, bound to the sender's device and the room, valid for minutes.</param>
/// <param name="ContentId">The picture's content id, <c>sha256:…</c>.</param>
/// <param name="Dedup">Which tier already had the picture; then it was proven, not uploaded.</param>
/// <param name="BytesUploaded">Bytes this call uploaded: the size for a new picture, 0 for a dedup hit.</param>
public sealed record PictureTicket(string Ticket, string TransferId, string ContentId, long Size, DedupTier Dedup, long BytesUploaded);
