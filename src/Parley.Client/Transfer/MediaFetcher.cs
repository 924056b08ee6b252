using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Parley.Core.Transfer;

namespace Parley.Client.Transfer;

/// <summary>
/// Downloads media into <c>destination.part</c>, resuming what an earlier attempt left there with a
/// range request, and moves it into place only once its bytes hash to the content id the server names.
/// </summary>
internal static class MediaFetcher
{
    private const string ContentIdHeader = "Parley-Content-Id";

    public static async Task<FetchedMedia> FetchAsync(ParleyClient client, string path, string destination, IProgress<TransferProgress>? progress, CancellationToken ct)
    {
        var partPath = destination + ".part";
        var have = File.Exists(partPath) ? new FileInfo(partPath).Length : 0;
        var response = await RequestAsync(client, path, have, ct);
        if (have > 0 && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The .part is as long as the content or longer: it cannot be a prefix to continue; start over.
            response.Dispose();
            have = 0;
            response = await RequestAsync(client, path, have, ct);
        }
        using (response)
        {
            await ParleyClient.ThrowIfFailedAsync(response, ct);
            var contentId = ContentIdOf(response);
            // 200 to a range request: the server sends everything, so what the .part held is dropped.
            if (response.StatusCode != HttpStatusCode.PartialContent) have = 0;
            else if (response.Content.Headers.ContentRange?.From != have) throw Invalid(response, "The server answered a different range than the one asked for.");
            var total = response.Content.Headers.ContentRange?.Length ?? have + response.Content.Headers.ContentLength ?? 0;

            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var part = new FileStream(partPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
            {
                await HashPrefixAsync(part, have, hash, ct);
                progress?.Report(new TransferProgress(TransferPhase.Downloading, have, total));
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                var buffer = new byte[256 * 1024];
                int read;
                while ((read = await body.ReadAsync(buffer, ct)) > 0)
                {
                    await part.WriteAsync(buffer.AsMemory(0, read), ct);
                    hash.AppendData(buffer, 0, read);
                    have += read;
                    progress?.Report(new TransferProgress(TransferPhase.Downloading, have, total));
                }
            }
            if (!hash.GetHashAndReset().AsSpan().SequenceEqual(contentId.Digest))
            {
                File.Delete(partPath);
                throw new ParleyApiException((int)response.StatusCode, TransferClientCodes.HashMismatch, "Hash mismatch",
                    $"The downloaded bytes do not hash to {contentId}; they were discarded. Fetch again to download them afresh.");
            }
            File.Move(partPath, destination, overwrite: true);
            return new FetchedMedia(contentId.ToString(), have, Path.GetFullPath(destination));
        }
    }

    private static Task<HttpResponseMessage> RequestAsync(ParleyClient client, string path, long from, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (from > 0) request.Headers.Range = new RangeHeaderValue(from, null);
        // Streamed, not buffered: media can be far bigger than memory.
        return client.SendWithTokenAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    /// <summary>Hashes the first <paramref name="length"/> bytes already there and leaves the file positioned after them, with nothing beyond.</summary>
    private static async Task HashPrefixAsync(FileStream part, long length, IncrementalHash hash, CancellationToken ct)
    {
        part.SetLength(Math.Min(part.Length, length));
        var buffer = new byte[256 * 1024];
        long done = 0;
        while (done < length)
        {
            var read = await part.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - done)), ct);
            if (read == 0) throw new EndOfStreamException($"{part.Name} shrank while being read.");
            hash.AppendData(buffer, 0, read);
            done += read;
        }
    }

    /// <summary>The content id the bytes must hash to: Parley's own header, else the ETag the server gives media.</summary>
    private static ContentId ContentIdOf(HttpResponseMessage response)
    {
        var named = response.Headers.TryGetValues(ContentIdHeader, out var values) ? values.FirstOrDefault() : response.Headers.ETag?.Tag.Trim('"');
        return ContentId.TryParse(named, out var id) ? id : throw Invalid(response, "The media answer names no content id to verify the bytes against.");
    }

    private static ParleyApiException Invalid(HttpResponseMessage response, string detail) =>
        new((int)response.StatusCode, ClientCodes.InvalidResponse, "Invalid response", detail);
}
