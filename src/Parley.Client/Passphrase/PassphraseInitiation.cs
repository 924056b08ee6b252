using Parley.Core.Passphrase;

namespace Parley.Client.Passphrase;

/// <summary>
/// A session this user (A) opened and the server holds: for the responder to answer (named mode),
/// or under a slot until someone claims it with <see cref="Code"/> (code mode). Show the code, then
/// <see cref="ConnectAsync"/> finishes the exchange.
/// </summary>
public sealed class PassphraseInitiation : IDisposable
{
    private readonly ParleyClient _client;
    private readonly PakeFeed _feed;
    private readonly Spake2 _party;
    private bool _handedOver;

    private PassphraseInitiation(ParleyClient client, PakeFeed feed, Spake2 party, PakeSessionDto started, PassphraseCode? code)
    {
        _client = client;
        _feed = feed;
        _party = party;
        SessionId = started.Id;
        RequestedAt = started.RequestedAt;
        AnswerDeadline = started.AnswerDeadline;
        Code = code;
    }

    public string SessionId { get; }

    /// <summary>The code to give the other person, in code mode; null in named mode.</summary>
    public PassphraseCode? Code { get; }

    public DateTimeOffset RequestedAt { get; }

    /// <summary>The end of T1: without an answer by then the server fails the session.</summary>
    public DateTimeOffset AnswerDeadline { get; }

    /// <param name="party">A's party, which the initiation owns from here on.</param>
    /// <param name="to">The responder in named mode; null in code mode.</param>
    /// <param name="codeWords">The passphrase in code mode, to make the code from once the server has picked the slot.</param>
    internal static async Task<PassphraseInitiation> StartAsync(
        ParleyClient client, ParleyLive live, Spake2 party, string? to, string? codeWords, CancellationToken ct)
    {
        PakeFeed? feed = null;
        try
        {
            // Subscribed before the request: B may answer before the start call even returns.
            feed = await PakeFeed.OpenAsync(live, ct);
            var started = await client.StartPassphraseSessionAsync(
                new StartPakeRequest(HandshakeSteps.Encode(party.Share), To: to, Code: codeWords is not null), ct);
            var code = codeWords is null ? null : PassphraseCode.Parse($"{SlotOf(started)}-{codeWords}");
            return new PassphraseInitiation(client, feed, party, started, code);
        }
        catch
        {
            feed?.Dispose();
            party.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits for B's answer, checks B's key confirmation (a mismatch is reported, and fails the
    /// session for both), confirms, and returns the connected session. Throws
    /// <see cref="PassphraseFailedException"/> with the server's code when the session fails.
    /// </summary>
    public async Task<PassphraseSession> ConnectAsync(CancellationToken ct = default)
    {
        if (_handedOver) throw new InvalidOperationException("This initiation already connected; a session is single-use.");
        var answered = await HandshakeSteps.WaitForAsync(_client, _feed, SessionId, PakeState.Answered, ct);

        using var confirmation = await HandshakeSteps.FinishAsync(_client, SessionId, _party, answered.AnswerShare, ct);
        Spake2Key key;
        byte[] randomB;
        try
        {
            key = confirmation.VerifyPeer(HandshakeSteps.Decode(answered.AnswerConfirmation, Spake2Confirmation.ConfirmationLength));
            randomB = HandshakeSteps.Decode(answered.AnswerRandom, SessionKeys.RandomLength);
        }
        catch (PassphraseProtocolException)
        {
            throw await HandshakeSteps.ReportMismatchAsync(_client, SessionId, ct);
        }

        using (key)
        {
            var randomA = SessionKeys.CreateRandom();
            var ownConfirmation = HandshakeSteps.Encode(confirmation.OwnConfirmation);
            var connected = await HandshakeSteps.CallAsync(_client, SessionId, () => _client.ConfirmPassphraseSessionAsync(SessionId,
                new ConfirmPakeRequest(ownConfirmation, HandshakeSteps.Encode(randomA)), ct), ct);
            var channel = key.CreateChannel(randomA, randomB, HandshakeSteps.ChannelContext(SessionId), HandshakeSteps.MaxPlaintextLength);
            _handedOver = true;
            return new PassphraseSession(_client, _feed, connected, Spake2Role.A, channel);
        }
    }

    private static int SlotOf(PakeSessionDto started) => started.Slot
        ?? throw new ParleyApiException(200, ClientCodes.InvalidResponse, "Invalid response", "The server opened a code session without a slot.");

    /// <summary>
    /// Zeroes the SPAKE2 party's secrets (already gone if it finished) and stops listening for this session unless it
    /// connected; the connected session owns the subscription then.
    /// </summary>
    public void Dispose()
    {
        _party.Dispose();
        if (!_handedOver) _feed.Dispose();
    }
}
