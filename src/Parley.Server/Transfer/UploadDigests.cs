using System.Collections.Concurrent;
using Parley.Core.Scanning;

namespace Parley.Server.Transfer;

/// <summary>
/// The <see cref="UploadDigest"/> of each upload between its PATCHes, on this node. A PATCH takes its upload's state
/// (one PATCH at a time per upload holds the upload lock) and puts it back when it recorded its bytes; a state whose
/// offset is not the upload's (another node took a PATCH, or this one failed halfway) is dropped and rebuilt from the
/// upload file. A few hundred bytes per chunk cut so far, and the inspection's window (the library's longest pattern
/// part plus 64 KiB); no upload buffer is held between PATCHes.
/// </summary>
public sealed class UploadDigests
{
    private readonly ConcurrentDictionary<string, UploadDigest> _states = new();

    /// <summary>This upload's state at <paramref name="offset"/>, kept or rebuilt by re-hashing the received prefix once.</summary>
    /// <param name="inspection">Starts the inspection a rebuilt state feeds (null: the content is not inspected).</param>
    public async Task<UploadDigest> Take(
        string uploadId, string uploadPath, string parts, long offset, Func<CancellationToken, Task<StreamInspection?>> inspection, CancellationToken ct)
    {
        if (_states.TryRemove(uploadId, out var kept))
        {
            if (kept.Fed == offset) return kept;
            kept.Dispose();
        }
        return await UploadDigest.Rebuild(uploadPath, parts, offset, await inspection(ct), ct);
    }

    public void Keep(string uploadId, UploadDigest digest)
    {
        if (!_states.TryAdd(uploadId, digest)) digest.Dispose();
    }

    /// <summary>The upload ended (delivered, failed, cancelled, expired): its state goes.</summary>
    public void Forget(string uploadId)
    {
        if (_states.TryRemove(uploadId, out var kept)) kept.Dispose();
    }
}
