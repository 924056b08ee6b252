using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Parley.Core.Problems;
using Parley.Core.Transfer;

namespace Parley.Client.Transfer;

/// <summary>
/// The client side of tus 1.0.0 (docs/transfer.md): create an upload, send its bytes in PATCH
/// requests of bounded size, and after any interruption ask the server (HEAD) where to go on from.
/// </summary>
internal sealed class TusUpload(ParleyClient client)
{
    /// <summary>The server records its offset after each PATCH, so a bounded PATCH bounds what an interruption can cost.</summary>
    private const long MaxPatchBytes = 32 * 1024 * 1024;

    /// <summary>With a rate limit, a PATCH lasts at most about this long: well inside the HTTP client's timeout.</summary>
    private static readonly TimeSpan MaxPatchDuration = TimeSpan.FromSeconds(30);

    /// <summary>Failures in a row, with no byte gained in between, before the upload is given up.</summary>
    private const int MaxFailuresInARow = 5;

    /// <returns>The upload's address, as the server's <c>Location</c> gives it.</returns>
    public async Task<string> CreateAsync(string endpoint, string transferId, long length, string? fileName, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Post, endpoint);
        request.Headers.Add(TusProtocol.UploadLengthHeader, length.ToString(CultureInfo.InvariantCulture));
        var metadata = $"transferId {Base64(transferId)}";
        if (fileName is not null) metadata += $",filename {Base64(fileName)}";
        request.Headers.Add(TusProtocol.UploadMetadataHeader, metadata);
        using var response = await client.SendWithTokenAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        await ParleyClient.ThrowIfFailedAsync(response, ct);
        return response.Headers.Location?.OriginalString
            ?? throw new ParleyApiException((int)response.StatusCode, ClientCodes.InvalidResponse, "Invalid response", "The server created an upload without saying where (no Location).");
    }

    /// <summary>How many bytes of the upload the server has (HEAD); null if it has no such upload (any more).</summary>
    public async Task<long?> OffsetAsync(string upload, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Head, upload);
        using var response = await client.SendWithTokenAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        // A HEAD answer has no body to carry a problem code: 404 is the one refusal that says something here.
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await ParleyClient.ThrowIfFailedAsync(response, ct);
        return ReadOffset(response);
    }

    /// <summary>
    /// Sends <paramref name="body"/> from <paramref name="offset"/> to its end. Connection failures, timeouts,
    /// server errors and offset conflicts are retried from the server's offset; anything else is thrown.
    /// </summary>
    /// <returns>The bytes these requests added to the upload, as the server's offsets show.</returns>
    public async Task<long> SendAsync(
        string upload, long offset, UploadBody body, SafeFileHandle file, BytePacer? pacer, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        long added = 0, confirmed = offset;
        long? known = offset; // null: ask the server before the next PATCH
        long? brokenFrom = null; // a PATCH from this offset broke off mid-body: what the server kept of it is ours
        var failures = 0;
        while (true)
        {
            UploadBody.Window? window = null;
            try
            {
                if (known is null)
                {
                    // Gone after a PATCH broke off: that PATCH completed the upload (or the transfer ended); the
                    // transfer's state tells which.
                    if (await OffsetAsync(upload, ct) is not { } now) return added + (brokenFrom is { } end ? body.Length - end : 0);
                    if (brokenFrom is { } from) added += Math.Max(0, now - from);
                    brokenFrom = null;
                    if (now > confirmed) failures = 0;
                    confirmed = now;
                    known = now;
                    progress?.Report(new TransferProgress(TransferPhase.Uploading, now, body.Length));
                }
                var at = known.Value;
                if (at >= body.Length) return added;
                var count = Math.Min(PatchSize(pacer), body.Length - at);
                window = body.Open(file, at, count, done => progress?.Report(new TransferProgress(TransferPhase.Uploading, done, body.Length)));
                known = null;
                brokenFrom = at;
                var next = await PatchAsync(upload, at, pacer is null ? window : new ThrottledStream(window, pacer), count, ct);
                brokenFrom = null;
                added += next - at;
                confirmed = next;
                known = next;
                failures = 0;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                if (window?.FileFault is { } fault) ExceptionDispatchInfo.Throw(fault);
                if (!IsWorthRetrying(e) || ++failures >= MaxFailuresInARow) throw;
                // The server answered: this PATCH's body was refused, not cut off.
                if (e is ParleyApiException) brokenFrom = null;
                known = null;
                await Task.Delay(Backoff(failures), ct);
            }
        }
    }

    private async Task<long> PatchAsync(string upload, long offset, Stream body, long count, CancellationToken ct)
    {
        using var request = Request(HttpMethod.Patch, upload);
        request.Headers.Add(TusProtocol.UploadOffsetHeader, offset.ToString(CultureInfo.InvariantCulture));
        request.Content = new StreamContent(body);
        request.Content.Headers.ContentLength = count;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(TusProtocol.OffsetContentType);
        using var response = await client.SendWithTokenAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        await ParleyClient.ThrowIfFailedAsync(response, ct);
        return ReadOffset(response);
    }

    private static long PatchSize(BytePacer? pacer) =>
        pacer is null ? MaxPatchBytes : Math.Clamp((long)(pacer.BytesPerSecond * MaxPatchDuration.TotalSeconds), 64 * 1024, MaxPatchBytes);

    /// <summary>Worth another try from the server's offset: the network or the server failed, or the offsets went out of step.</summary>
    private static bool IsWorthRetrying(Exception e) => e switch
    {
        ParleyApiException api => api.Code is ProblemCodes.UploadOffsetMismatch or ProblemCodes.UploadLocked || api.Status >= 500,
        HttpRequestException or IOException => true,
        TaskCanceledException => true, // the HTTP client's timeout: the server keeps what arrived
        _ => false,
    };

    private static TimeSpan Backoff(int failures) => TimeSpan.FromMilliseconds(Math.Min(4000, 250 * (1 << (failures - 1))));

    private static HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(TusProtocol.ResumableHeader, TusProtocol.Version);
        return request;
    }

    private static long ReadOffset(HttpResponseMessage response) =>
        response.Headers.TryGetValues(TusProtocol.UploadOffsetHeader, out var values) &&
        long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw new ParleyApiException((int)response.StatusCode, ClientCodes.InvalidResponse, "Invalid response", "The upload's answer has no Upload-Offset.");

    private static string Base64(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
}
