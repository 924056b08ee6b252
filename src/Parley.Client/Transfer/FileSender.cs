using Parley.Client.Scanning;
using Parley.Core.Problems;
using Parley.Core.Transfer;

namespace Parley.Client.Transfer;

/// <summary>
/// Sends one file the way docs/transfer.md describes: the first detection (docs/scanning.md; its structural checks in
/// a pass of their own, the rest in the pass that names the content: content id and chunk manifest), prove holding it
/// (another pass: a keyed hash of the whole file), upload what the server then says it lacks, and remember the upload
/// so an interrupted send continues where it stopped.
/// </summary>
internal sealed class FileSender(ParleyClient client, SendFileOptions options)
{
    private readonly TusUpload _tus = new(client);

    public async Task<SendFileResult> SendAsync(string path, CancellationToken ct)
    {
        var target = options.Target;
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.Asynchronous);
        var fileName = options.FileName ?? Path.GetFileName(path);
        var hashing = Report(TransferPhase.Hashing, file.Length);
        // The first detection, before the server hears of the content; sealed files were scanned as plaintext.
        PassedScan? scan = null;
        ContentManifest manifest;
        if (options.Sealed) manifest = await ContentScanner.ScanAsync(file, hashing, ct);
        else (scan, manifest) = await SharePreflight.CheckAndHashAsync(client, file, fileName, options.MediaType, hashing, ct);
        var mediaType = options.MediaType ?? MediaTypes.FromFileName(fileName);
        var key = new UploadResumeKey(client.Server, manifest.Id.ToString(), target);

        TransferDto transfer;
        (string Url, long Offset)? upload = null;
        if (await ResumeAsync(key, manifest, ct) is { } resumed) (transfer, upload) = resumed;
        else (transfer, scan) = await SharePreflight.AnnounceAsync(client, file, scan, identifier => Announce(fileName, mediaType, manifest, identifier), ct);
        long uploaded = 0;
        if (transfer.State == TransferState.Prove) transfer = await SharePreflight.Blocking(fileName, () => client.ProveHoldingAsync(transfer, file, ct));
        if (transfer.State == TransferState.Upload)
        {
            uploaded = await SharePreflight.Blocking(fileName, () => UploadAsync(key, transfer, upload, fileName, manifest, file, ct));
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

    private CreateTransferRequest Announce(string fileName, string mediaType, ContentManifest manifest, string? identifier) => new(
        manifest.Id.ToString(), manifest.Size, options.Room, options.To, fileName, mediaType,
        // Content no bigger than one minimum chunk is a single chunk: a manifest would tell the server nothing.
        Chunks: manifest.Size > FastCdc.MinSize ? manifest.Chunks.Select(c => new ChunkDto(c.Id.ToString(), c.Length)).ToList() : null,
        ScanIdentifier: identifier, Sealed: options.Sealed);

    /// <summary>
    /// The transfer an earlier send of this content to this target left unfinished, with its upload's
    /// address; null when there is none to continue (then the entry is forgotten and the send starts afresh).
    /// </summary>
    private async Task<(TransferDto Transfer, (string Url, long Offset)? Upload)?> ResumeAsync(UploadResumeKey key, ContentManifest manifest, CancellationToken ct)
    {
        if (options.ResumeStore?.Find(key) is not { } entry) return null;
        try
        {
            var transfer = await client.GetTransferAsync(entry.TransferId, ct);
            if (transfer.ContentId == key.ContentId && transfer.Size == manifest.Size)
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

    private async Task<long> UploadAsync(
        UploadResumeKey key, TransferDto transfer, (string Url, long Offset)? resumed, string fileName, ContentManifest manifest, FileStream file, CancellationToken ct)
    {
        var plan = transfer.Upload!;
        var body = UploadBody.For(manifest, plan) ?? throw new ParleyApiException(200, ClientCodes.InvalidResponse, "Invalid response",
            $"The server's upload plan ({plan.Length} bytes, chunks {string.Join(',', plan.MissingChunks ?? [])}) does not fit this file's manifest.");
        var (url, offset) = resumed ?? (await _tus.CreateAsync(plan.Endpoint, transfer.Id, body.Length, fileName, ct), 0);
        // Remembered before any byte is sent: from here on, an interruption is worth resuming.
        if (resumed is null) options.ResumeStore?.Save(key, new UploadResumeEntry(transfer.Id, url));
        var pacer = options.MaxUploadBytesPerSecond is { } rate ? new BytePacer(rate) : null;
        return await _tus.SendAsync(url, offset, body, file.SafeFileHandle, pacer, options.Progress, ct);
    }

    private IProgress<long>? Report(TransferPhase phase, long total) =>
        options.Progress is { } progress ? new Reporter<long>(done => progress.Report(new TransferProgress(phase, done, total))) : null;
}

/// <summary>Reports synchronously on the caller's thread, in order (<see cref="Progress{T}"/> would post to a context, out of order).</summary>
internal sealed class Reporter<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
