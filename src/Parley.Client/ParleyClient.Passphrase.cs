using System.Globalization;
using Parley.Core.Passphrase;

namespace Parley.Client;

/// <summary>
/// The passphrase relay of docs/passphrase.md, call by call. These carry shares, confirmations and
/// ciphertext frames as the server sees them; <see cref="Passphrase.PassphraseHandshake"/> runs the
/// SPAKE2 exchange and the encrypted channel on top of them.
/// </summary>
public sealed partial class ParleyClient
{
    public Task<PakeSessionDto> StartPassphraseSessionAsync(StartPakeRequest request, CancellationToken ct = default) =>
        PostAsync<PakeSessionDto>("/api/passphrase/sessions", request, ct);

    /// <summary>Binds the signed-in user as the responder of the code session held under <paramref name="slot"/>.</summary>
    public Task<PakeSessionDto> ClaimPassphraseSlotAsync(int slot, CancellationToken ct = default) =>
        PostAsync<PakeSessionDto>($"/api/passphrase/slots/{slot.ToString(CultureInfo.InvariantCulture)}/claim", body: null, ct);

    public Task<PakeSessionDto> AnswerPassphraseSessionAsync(string sessionId, AnswerPakeRequest answer, CancellationToken ct = default) =>
        PostAsync<PakeSessionDto>($"/api/passphrase/sessions/{Segment(sessionId)}/answer", answer, ct);

    public Task<PakeSessionDto> ConfirmPassphraseSessionAsync(string sessionId, ConfirmPakeRequest confirmation, CancellationToken ct = default) =>
        PostAsync<PakeSessionDto>($"/api/passphrase/sessions/{Segment(sessionId)}/confirm", confirmation, ct);

    /// <summary>Tells the server this side's key confirmation failed: the session ends for both as <c>passphrase.mismatch</c>.</summary>
    public Task<PakeSessionDto> ReportPassphraseMismatchAsync(string sessionId, CancellationToken ct = default) =>
        PostAsync<PakeSessionDto>($"/api/passphrase/sessions/{Segment(sessionId)}/fail", body: null, ct);

    /// <summary>Named requests waiting for this user's answer (still within T1), oldest first: those made while this user was offline too.</summary>
    public Task<PakeSessionDto[]> GetPendingPassphraseRequestsAsync(CancellationToken ct = default) =>
        GetAsync<PakeSessionDto[]>("/api/passphrase/requests", ct);

    public Task<PakeSessionDto> GetPassphraseSessionAsync(string sessionId, CancellationToken ct = default) =>
        GetAsync<PakeSessionDto>($"/api/passphrase/sessions/{Segment(sessionId)}", ct);

    /// <summary>Relays one sealed frame to the peer; the answer carries the sequence number the server gave it.</summary>
    public Task<PakeFrameDto> SendPassphraseFrameAsync(string sessionId, byte[] frame, CancellationToken ct = default) =>
        PostAsync<PakeFrameDto>($"/api/passphrase/sessions/{Segment(sessionId)}/messages", new PakeFrameRequest(Convert.ToBase64String(frame)), ct);

    /// <summary>One page of the session's frames (both directions) with a sequence number above <paramref name="after"/>.</summary>
    public Task<PakeFramePage> GetPassphraseFramesAsync(string sessionId, long after, CancellationToken ct = default) =>
        GetAsync<PakeFramePage>($"/api/passphrase/sessions/{Segment(sessionId)}/messages?after={after.ToString(CultureInfo.InvariantCulture)}", ct);
}
