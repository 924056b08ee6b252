using System.Net.Http.Headers;
using Parley.Client.Transfer;
using Parley.Core.Transfer;

namespace Parley.Client;

/// <summary>Deduplicated media transfer (docs/transfer.md): the protocol's calls, and whole files sent and fetched.</summary>
public sealed partial class ParleyClient
{
    /// <summary>Announces content: the answer says whether to prove ownership, what to upload, or that it is delivered.</summary>
    public Task<TransferDto> CreateTransferAsync(CreateTransferRequest request, CancellationToken ct = default) =>
        PostAsync<TransferDto>("/api/transfers", request, ct);

    public Task<TransferDto> GetTransferAsync(string transferId, CancellationToken ct = default) =>
        GetAsync<TransferDto>($"/api/transfers/{Segment(transferId)}", ct);

    /// <summary>
    /// Gives the chunk manifest of a transfer announced without one, after its proof answered <c>upload</c>
    /// (<see cref="UploadPlanDto.AcceptsManifest"/>): the answer's plan names only the chunks the server lacks.
    /// </summary>
    public Task<TransferDto> GiveManifestAsync(string transferId, IReadOnlyList<ChunkDto> chunks, CancellationToken ct = default) =>
        SendAsync<TransferDto>(HttpMethod.Put, $"/api/transfers/{Segment(transferId)}/manifest", new ManifestRequest(chunks), ct);

    /// <param name="proofBase64">The answer to the transfer's challenge (see <see cref="OwnershipChallenge.AnswerAsync"/>), base64.</param>
    public Task<TransferDto> ProveAsync(string transferId, string proofBase64, CancellationToken ct = default) =>
        PostAsync<TransferDto>($"/api/transfers/{Segment(transferId)}/proof", new ProofRequest(proofBase64), ct);

    /// <summary>
    /// Answers a transfer's challenge from <paramref name="content"/> (seekable; only the challenged blocks are read):
    /// every announced transfer waits for this before the server says whether it had the content.
    /// </summary>
    internal async Task<TransferDto> ProveHoldingAsync(TransferDto transfer, Stream content, CancellationToken ct)
    {
        var challenge = OwnershipChallenge.FromDto(transfer.Challenge, transfer.Size) ?? throw new ParleyApiException(200, ClientCodes.InvalidResponse,
            "Invalid response", $"Transfer {transfer.Id} waits for a proof but names no well-formed challenge.");
        var proof = await challenge.AnswerAsync(content, ct);
        return await ProveAsync(transfer.Id, Convert.ToBase64String(proof), ct);
    }

    /// <summary>
    /// Sends a file to a room or a user. Only what no tier has is uploaded, streamed from the file (never
    /// held in memory); with a <see cref="SendFileOptions.ResumeStore"/>, an interrupted send continues where it stopped.
    /// </summary>
    public Task<SendFileResult> SendFileAsync(string path, SendFileOptions options, CancellationToken ct = default) =>
        new FileSender(this, options).SendAsync(path, ct);

    /// <summary>
    /// Downloads media (by message id or content id) to <paramref name="destinationPath"/>, through
    /// <c>destinationPath.part</c>: an interrupted download resumes with a range request, and the file only
    /// takes its name once its bytes hash to the content id (otherwise <see cref="TransferClientCodes.HashMismatch"/>).
    /// </summary>
    public Task<FetchedMedia> FetchMediaAsync(string mediaId, string destinationPath, IProgress<TransferProgress>? progress = null, CancellationToken ct = default) =>
        MediaFetcher.FetchAsync(this, $"/api/media/{Segment(mediaId)}", destinationPath, progress, ct);

    /// <summary>Sends a request of the transfer protocol with the bearer token; the caller checks the answer and disposes it.</summary>
    /// <param name="completion">Whether the answer's body is read before returning, or left to stream (downloads).</param>
    internal Task<HttpResponseMessage> SendWithTokenAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        if (Token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return _http.SendAsync(request, completion, ct);
    }

    internal static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode) throw await ProblemReader.ReadAsync(response, ct);
    }
}
