using Parley.Client.Scanning;
using Parley.Core.Problems;
using Parley.Core.Transfer;

namespace Parley.Client.Transfer;

/// <summary>
/// Sends one file the way docs/transfer.md describes: the first detection and the content id in one read (docs/scanning.md;
/// the structural checks in a pass of their own), the announcement, the proof of holding it (only the challenged blocks
/// are read), and only when the server says bytes must travel the chunk manifest (another read) and the upload of what
/// it lacks; the upload is remembered so an interrupted send continues where it stopped.
/// </summary>
internal sealed class FileSender(ParleyClient client, SendFileOptions options)
{
    private readonly TusUpload _tus = new(client);

    /// <summary>Wraps the file for the reads that name and prove it (not the upload's): tests count the bytes a send reads.</summary>
    internal Func<Stream, Stream>? ReadThrough { get; init; }

    public async Task<SendFileResult> SendAsync(string path, CancellationToken ct)
    {
        var target = options.Target;
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous);
        await using var content = ReadThrough?.Invoke(file) ?? file;
        var fileName = options.FileName ?? Path.GetFileName(path);
        var (scan, id, size) = await IdentifyAsync(content, fileName, ct);
        var mediaType = options.MediaType ?? MediaTypes.FromFileName(fileName);
        var key = new UploadResumeKey(client.Server, id.ToString(), target);

        TransferDto transfer;
        (string Url, long Offset)? upload = null;
        if (await ResumeAsync(key, size, ct) is { } resumed) (transfer, upload) = resumed;
        else (transfer, scan) = await SharePreflight.AnnounceAsync(client, content, scan, identifier => Announce(fileName, mediaType, id, size, identifier), ct);
        long uploaded = 0;
        if (transfer.State == TransferState.Prove) transfer = await SharePreflight.Blocking(fileName, () => client.ProveHoldingAsync(transfer, content, ct));
        if (transfer.State == TransferState.Upload)
        {
            uploaded = await SharePreflight.Blocking(fileName, () => UploadAsync(key, transfer, upload, fileName, id, content, file, ct));
            transfer = await client.GetTransferAsync(transfer.Id, ct);
        }
        SharePreflight.ThrowIfBlocked(transfer, fileName);
        // The server answered, but with a transfer that cannot deliver: reported like a refusal of the send.
        if (transfer is not { State: TransferState.Delivered, Message: { } message })
            throw new ParleyApiException(409, transfer.Failure ?? ProblemCodes.TransferWrongState, "Transfer not delivered",
                $"The transfer ended {transfer.State.ToString().ToLowerInvariant()}{(transfer.Failure is null ? "" : $" ({transfer.Failure})")} instead of delivered.");
        options.ResumeStore?.Remove(key);
        SharePreflight.Remember(client, path, scan);
        return new SendFileResult(transfer.ContentId, transfer.Size, uploaded, transfer.Dedup ?? DedupTier.None, transfer.Id, message);
    }

    /// <summary>The first detection (before the server hears of the content) and the content id, in one read; sealed files were scanned as plaintext.</summary>
    private async Task<(PassedScan? Scan, ContentId Id, long Size)> IdentifyAsync(Stream content, string fileName, CancellationToken ct)
    {
        var reading = Report(TransferPhase.Hashing, content.Length) is { } progress ? new ObservedReadStream(content, progress.Report) : content;
        if (!options.Sealed) return await SharePreflight.CheckAndIdentifyAsync(client, reading, fileName, options.MediaType, ct);
        content.Position = 0;
        var (id, size) = await ContentScanner.HashAsync(reading, ct);
        return (null, id, size);
    }

    private CreateTransferRequest Announce(string fileName, string mediaType, ContentId id, long size, string? identifier) =>
        new(id.ToString(), size, options.Room, options.To, fileName, mediaType, ScanIdentifier: identifier, Sealed: options.Sealed);

    /// <summary>
    /// The transfer an earlier send of this content to this target left unfinished, with its upload's
    /// address; null when there is none to continue (then the entry is forgotten and the send starts afresh).
    /// </summary>
    private async Task<(TransferDto Transfer, (string Url, long Offset)? Upload)?> ResumeAsync(UploadResumeKey key, long size, CancellationToken ct)
    {
        if (options.ResumeStore?.Find(key) is not { } entry) return null;
        try
        {
            var transfer = await client.GetTransferAsync(entry.TransferId, ct);
            if (transfer.ContentId == key.ContentId && transfer.Size == size)
            {
                // Delivered already: the earlier send finished but stopped before it could say so.
                if (transfer.State == TransferState.Delivered) return (transfer, null);
                if (transfer.State == TransferState.Upload && await _tus.OffsetAsync(entry.UploadUrl, ct) is { } offset)
                    return (transfer, (entry.UploadUrl, offset));
            }
        }
        catch (ParleyApiException e) when (e.Code == ProblemCodes.TransferNotFound)
        {
            // Expired and collected, or made under another account: nothing to continue.
        }
        options.ResumeStore.Remove(key);
        return null;
    }

    /// <summary>
    /// Uploads what the plan asks for. The manifest is computed only now, when bytes must travel: given to a server that
    /// takes it (so that it asks only for the chunks it lacks), or needed to read the chunks a resumed plan names.
    /// </summary>
    private async Task<long> UploadAsync(UploadResumeKey key, TransferDto transfer, (string Url, long Offset)? resumed, string fileName, ContentId id,
        Stream content, FileStream file, CancellationToken ct)
    {
        var plan = transfer.Upload!;
        var givesManifest = plan.AcceptsManifest && resumed is null && transfer.Size > FastCdc.MinSize;
        var manifest = givesManifest || plan.MissingChunks is not null ? await ManifestAsync(content, id, ct) : null;
        if (givesManifest)
        {
            transfer = await client.GiveManifestAsync(transfer.Id, manifest!.Chunks.Select(c => new ChunkDto(c.Id.ToString(), c.Length)).ToList(), ct);
            // Every chunk was here already: delivered (or failed) without an upload.
            if (transfer.State != TransferState.Upload) return 0;
            plan = transfer.Upload!;
        }
        var body = UploadBody.For(manifest, transfer.Size, plan) ?? throw new ParleyApiException(200, ClientCodes.InvalidResponse, "Invalid response",
            $"The server's upload plan ({plan.Length} bytes, chunks {string.Join(',', plan.MissingChunks ?? [])}) does not fit this file's manifest.");
        var (url, offset) = resumed ?? (await _tus.CreateAsync(plan.Endpoint, transfer.Id, body.Length, fileName, ct), 0);
        // Remembered before any byte is sent: from here on, an interruption is worth resuming.
        if (resumed is null) options.ResumeStore?.Save(key, new UploadResumeEntry(transfer.Id, url));
        var pacer = options.MaxUploadBytesPerSecond is { } rate ? new BytePacer(rate) : null;
        return await _tus.SendAsync(url, offset, body, file.SafeFileHandle, pacer, options.Progress, ct);
    }

    /// <summary>The chunk manifest, from a second read; a file that changed since it was named is not sent.</summary>
    private async Task<ContentManifest> ManifestAsync(Stream content, ContentId id, CancellationToken ct)
    {
        content.Position = 0;
        var manifest = await ContentScanner.ScanAsync(content, Report(TransferPhase.Chunking, content.Length), ct);
        if (manifest.Id != id)
            throw new IOException($"The file changed while being sent: it was {id} when announced and is {manifest.Id} now.");
        return manifest;
    }

    private IProgress<long>? Report(TransferPhase phase, long total) =>
        options.Progress is { } progress ? new Reporter<long>(done => progress.Report(new TransferProgress(phase, done, total))) : null;
}

/// <summary>Reports synchronously on the caller's thread, in order (<see cref="Progress{T}"/> would post to a context, out of order).</summary>
internal sealed class Reporter<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
