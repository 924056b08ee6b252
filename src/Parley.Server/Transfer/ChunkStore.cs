using Microsoft.Extensions.Options;
using Parley.Core.Transfer;
using Parley.Server.Hosting;

namespace Parley.Server.Transfer;

/// <summary>
/// Chunk files under <c>&lt;media&gt;/blobs/chunks/ab/abcd…</c>, named by their content id, and the
/// upload files tus writes into under <c>&lt;media&gt;/uploads</c> (the media folder is the data folder unless
/// configured, and is shared by every node of a cluster). A chunk is written to a temporary file and renamed
/// into place, so a reader never sees half a chunk, and two nodes writing the same chunk at once both rename
/// a whole file of the same bytes.
/// </summary>
public sealed class ChunkStore
{
    private readonly string _chunks;
    private readonly string _temporary;

    public ChunkStore(IOptions<ParleyOptions> options)
    {
        var media = options.Value.Storage.MediaDirectory!;
        _chunks = Path.Combine(media, "blobs", "chunks");
        _temporary = Path.Combine(media, "blobs", "tmp");
        UploadDirectory = Path.Combine(media, "uploads");
        DiscardedDirectory = Path.Combine(media, "discarded");
        Directory.CreateDirectory(_chunks);
        Directory.CreateDirectory(_temporary);
        Directory.CreateDirectory(UploadDirectory);
        Directory.CreateDirectory(DiscardedDirectory);
    }

    public string UploadDirectory { get; }

    /// <summary>Where ended uploads' files wait for their deletion (<see cref="DeleteUpload"/>); nothing refers to them.</summary>
    public string DiscardedDirectory { get; }

    /// <summary>Where chunks are written before they are renamed into place; anything left here was interrupted.</summary>
    public string TemporaryDirectory => _temporary;

    /// <summary>Every chunk file on disk with the chunk id its name says, for reconciling the store with the database.</summary>
    public IEnumerable<(string ChunkId, string Path)> ChunkFiles() =>
        Directory.EnumerateFiles(_chunks, "*", SearchOption.AllDirectories)
            .Select(path => (ChunkId: ContentId.Prefix + System.IO.Path.GetFileName(path), Path: path))
            .Where(file => ContentId.TryParse(file.ChunkId, out _));

    /// <summary>Verification state of uploads between their PATCHes, on this node.</summary>
    public UploadDigests Digests { get; } = new();

    public string UploadPath(string uploadId) => Path.Combine(UploadDirectory, uploadId);

    /// <summary>The folder an upload's chunks are written into as they are cut, until the share is kept.</summary>
    public string PartsPath(string uploadId) => Path.Combine(UploadDirectory, uploadId + PartsSuffix);

    public const string PartsSuffix = ".chunks";

    /// <summary>
    /// An upload's file and parts are gone (and its state on this node). Deleting a large file takes a while (its cached
    /// pages are freed: 0.18 s for 1 GiB on the 2-core benchmark machine), so the file is renamed into
    /// <see cref="DiscardedDirectory"/> at once and deleted on a pool thread: the request that ended the upload does
    /// not wait for it. What a crash leaves there, the collector removes.
    /// </summary>
    public void DeleteUpload(string uploadId)
    {
        Digests.Forget(uploadId);
        var discarded = Path.Combine(DiscardedDirectory, uploadId);
        try
        {
            File.Move(UploadPath(uploadId), discarded, overwrite: true);
            _ = Task.Run(() => DeleteDiscarded(discarded));
        }
        catch (FileNotFoundException)
        {
            // The upload never wrote a byte, or another node of a cluster removed it already.
        }
        var parts = PartsPath(uploadId);
        if (Directory.Exists(parts)) Directory.Delete(parts, recursive: true);
    }

    /// <summary>Deletes a discarded file; one already gone (the collector, another node) is fine.</summary>
    public static void DeleteDiscarded(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Left for the collector's next round.
        }
    }

    /// <summary>
    /// Moves a verified, screened upload's parts (already on disk: see <see cref="ChunkSync"/>) into the chunk store,
    /// then makes the renames durable, so the rows that refer to the chunks may commit. A chunk already stored is left
    /// as it is.
    /// </summary>
    public async Task AdoptAsync(string uploadId, IEnumerable<(string ChunkId, int Length)> chunks)
    {
        var parts = PartsPath(uploadId);
        var folders = new HashSet<string>();
        foreach (var chunkId in chunks.Select(c => c.ChunkId).Distinct())
        {
            var path = PathOf(chunkId);
            if (File.Exists(path)) continue;
            var folder = Path.GetDirectoryName(path)!;
            if (folders.Add(folder)) Directory.CreateDirectory(folder);
            await TransferHaltPoints.Reached(TransferHaltPoints.ChunkWrite);
            File.Move(Path.Combine(parts, ContentId.Parse(chunkId).Hex), path, overwrite: true);
        }
        foreach (var folder in folders) Durable.SyncDirectory(folder);
    }

    public string PathOf(string chunkId)
    {
        var hex = ContentId.Parse(chunkId).Hex;
        return Path.Combine(_chunks, hex[..2], hex);
    }

    public async Task WriteAsync(string chunkId, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        var path = PathOf(chunkId);
        if (File.Exists(path)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = Path.Combine(_temporary, Guid.NewGuid().ToString("N"));
        await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
        {
            await file.WriteAsync(bytes, ct);
            file.Flush(flushToDisk: true);
        }
        await TransferHaltPoints.Reached(TransferHaltPoints.ChunkWrite);
        File.Move(temporary, path, overwrite: true);
        Durable.SyncDirectory(Path.GetDirectoryName(path)!);
    }

    public void Delete(string chunkId) => File.Delete(PathOf(chunkId));

    /// <summary>A read-only, seekable view of content made of these chunks, in order.</summary>
    public BlobStream OpenBlob(IReadOnlyList<(string ChunkId, int Length)> chunks) =>
        new(chunks.Select(c => new BlobPart(PathOf(c.ChunkId), 0, c.Length)).ToList());
}
