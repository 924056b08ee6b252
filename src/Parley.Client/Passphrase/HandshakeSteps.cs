using System.Text;
using Parley.Core.Passphrase;
using Parley.Core.Problems;

namespace Parley.Client.Passphrase;

/// <summary>The pieces of the SPAKE2 exchange both roles share, and the responder's whole part.</summary>
internal static class HandshakeSteps
{
    /// <summary>
    /// The channel's plaintext limit: a sealed frame must fit the relay's frame limit, so a message
    /// the channel accepts is never refused by the server after its counter was spent.
    /// </summary>
    public const int MaxPlaintextLength = PakeRules.MaxFrameLength - SecureChannel.Overhead;

    /// <summary>
    /// Derives w and starts this side's party, which keeps its own copy; w itself is zeroed before this returns.
    /// scrypt takes about 0.1 s and 32 MiB: kept off the caller's thread, which may be a UI's or the live connection's.
    /// </summary>
    public static async Task<Spake2> StartPartyAsync(Spake2Role role, string passphrase, (string IdentityA, string IdentityB) identities, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(passphrase);
        using var secret = await Task.Run(() => PassphraseSecret.Derive(passphrase, identities.IdentityA, identities.IdentityB), ct);
        return Spake2.Start(role, secret);
    }

    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToBase64String(bytes);

    /// <summary>Decodes what the peer sent through the relay; anything malformed counts as an altered exchange.</summary>
    public static byte[] Decode(string? base64, int length)
    {
        var bytes = new byte[length];
        if (base64 is null || !Convert.TryFromBase64String(base64, bytes, out var written) || written != length)
            throw new PassphraseProtocolException(PassphraseFailure.MalformedShare, $"The relay passed on a value that is not {length} bytes of base64.");
        return bytes;
    }

    /// <summary>Both ends bind the session id into every frame, so frames cannot be moved between sessions.</summary>
    public static byte[] ChannelContext(string sessionId) => Encoding.UTF8.GetBytes(sessionId);

    /// <summary>
    /// B's side: derive w for the identities the request names, answer with pB, confB and rB, wait
    /// for "connected", and check A's confirmation before trusting the key.
    /// </summary>
    public static async Task<PassphraseSession> AnswerAsync(ParleyClient client, PakeFeed feed, PakeSessionDto request, string passphrase, CancellationToken ct)
    {
        var identities = PakeRules.Identities(request.Initiator, request.Responder, codeMode: request.Slot is not null);
        using var party = await StartPartyAsync(Spake2Role.B, passphrase, identities, ct);
        using var confirmation = await FinishAsync(client, request.Id, party, request.RequestShare, ct);
        var randomB = SessionKeys.CreateRandom();
        await CallAsync(client, request.Id, () => client.AnswerPassphraseSessionAsync(request.Id,
            new AnswerPakeRequest(Encode(party.Share), Encode(confirmation.OwnConfirmation), Encode(randomB)), ct), ct);
        var connected = await WaitForAsync(client, feed, request.Id, PakeState.Connected, ct);

        Spake2Key key;
        byte[] randomA;
        try
        {
            key = confirmation.VerifyPeer(Decode(connected.ConfirmConfirmation, Spake2Confirmation.ConfirmationLength));
            randomA = Decode(connected.ConfirmRandom, SessionKeys.RandomLength);
        }
        catch (PassphraseProtocolException)
        {
            throw await ReportMismatchAsync(client, request.Id, ct);
        }
        using (key)
        {
            var channel = key.CreateChannel(randomA, randomB, ChannelContext(request.Id), MaxPlaintextLength);
            return new PassphraseSession(client, feed, connected, Spake2Role.B, channel);
        }
    }

    /// <summary>Combines the peer's share with this side's party; a share that is no usable point is reported as a mismatch.</summary>
    public static async Task<Spake2Confirmation> FinishAsync(ParleyClient client, string sessionId, Spake2 party, string? peerShare, CancellationToken ct)
    {
        try
        {
            return party.Finish(Decode(peerShare, Spake2.ShareLength));
        }
        catch (PassphraseProtocolException)
        {
            throw await ReportMismatchAsync(client, sessionId, ct);
        }
    }

    /// <summary>
    /// Reads the feed until the session reaches <paramref name="state"/>; a failure ends the wait
    /// with the server's code. After a reconnect the session is fetched, since its event may be lost.
    /// </summary>
    public static async Task<PakeSessionDto> WaitForAsync(ParleyClient client, PakeFeed feed, string sessionId, PakeState state, CancellationToken ct)
    {
        while (true)
        {
            var signal = await feed.ReadAsync(ct) ?? throw new ObjectDisposedException(nameof(ParleyLive), "The live connection was closed during the handshake.");
            var news = signal switch
            {
                PakeUpdateSignal { Session: var session } when session.Id == sessionId => session,
                PakeResyncSignal => await client.GetPassphraseSessionAsync(sessionId, ct),
                _ => null,
            };
            if (news is null) continue;
            if (news.State == PakeState.Failed) throw new PassphraseFailedException(news.Failure ?? ProblemCodes.PassphraseWrongState);
            // The states only move forward: Requested, Answered, Connected.
            if (news.State >= state) return news;
        }
    }

    /// <summary>
    /// Makes one relay call, turning a refusal that means "this session is over" into the session's
    /// failure: a late answer or confirmation, or a step the timer already ended.
    /// </summary>
    public static async Task<T> CallAsync<T>(ParleyClient client, string sessionId, Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (ParleyApiException e) when (e.Code is ProblemCodes.PassphraseTimeoutT1 or ProblemCodes.PassphraseTimeoutT2)
        {
            throw new PassphraseFailedException(e.Code);
        }
        catch (ParleyApiException e) when (e.Code == ProblemCodes.PassphraseWrongState)
        {
            var session = await client.GetPassphraseSessionAsync(sessionId, ct);
            if (session is { State: PakeState.Failed, Failure: { } code }) throw new PassphraseFailedException(code);
            throw;
        }
    }

    /// <summary>This side's key confirmation failed: the server ends the session for both and counts the guess against the peer.</summary>
    public static async Task<PassphraseFailedException> ReportMismatchAsync(ParleyClient client, string sessionId, CancellationToken ct)
    {
        var session = await client.ReportPassphraseMismatchAsync(sessionId, ct);
        // A session a timer ended first keeps that failure; the report then changes nothing.
        return new PassphraseFailedException(session.Failure ?? ProblemCodes.PassphraseMismatch);
    }
}
