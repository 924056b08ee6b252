using Parley.Core.Accounts;
using Parley.Core.Passphrase;

namespace Parley.Client.Passphrase;

/// <summary>
/// Runs SPAKE2 (RFC 9382) through the server's relay (docs/passphrase.md), so that two users who
/// share only a passphrase end up with an end-to-end encrypted <see cref="PassphraseSession"/>. The
/// server relays shares, confirmations and ciphertext; it never sees the passphrase or a key.
/// The <see cref="ParleyLive"/> given must belong to the same signed-in user as the client.
/// </summary>
public static class PassphraseHandshake
{
    /// <summary>Named mode, A's side: asks <paramref name="to"/> for a session; they are prompted live.</summary>
    public static async Task<PassphraseInitiation> StartAsync(ParleyClient client, ParleyLive live, string to, string passphrase, CancellationToken ct = default)
    {
        var me = await client.GetMeAsync(ct);
        // The server finds the responder by the normalized name and names them so to B; w must bind that spelling.
        var responder = AccountRules.TryNormalizeUserName(to, out var normalized) ? normalized : to;
        var party = await HandshakeSteps.StartPartyAsync(Spake2Role.A, passphrase, PakeRules.Identities(me.UserName, responder, codeMode: false), ct);
        return await PassphraseInitiation.StartAsync(client, live, party, to, codeWords: null, ct);
    }

    /// <summary>Code mode, A's side: opens a session under a slot and makes a fresh code such as <c>7-crossover-clockwork</c>.</summary>
    public static async Task<PassphraseInitiation> StartWithCodeAsync(ParleyClient client, ParleyLive live, CancellationToken ct = default)
    {
        var me = await client.GetMeAsync(ct);
        // A's share goes with the request, before the server picks the slot, so the words come first.
        // Core draws words only as part of a whole code: draw one for a stand-in slot and keep its words.
        var words = PassphraseCode.Generate(PassphraseCode.MinSlot).Passphrase;
        var party = await HandshakeSteps.StartPartyAsync(Spake2Role.A, words, PakeRules.Identities(me.UserName, responder: null, codeMode: true), ct);
        return await PassphraseInitiation.StartAsync(client, live, party, to: null, words, ct);
    }

    /// <summary>Named mode, B's side: listens for requests to this user; listening has begun when this returns.</summary>
    public static async Task<PassphraseInbox> ListenAsync(ParleyClient client, ParleyLive live, CancellationToken ct = default) =>
        new(client, await PakeFeed.OpenAsync(live, ct));

    /// <summary>
    /// Code mode, B's side: claims the code's slot (one claimant only) and answers with the code's
    /// words. Throws <see cref="PassphraseFailedException"/> with the server's code when the session fails.
    /// </summary>
    public static async Task<PassphraseSession> JoinAsync(ParleyClient client, ParleyLive live, PassphraseCode code, CancellationToken ct = default)
    {
        // Subscribed before the claim, so that "connected" cannot slip past.
        var feed = await PakeFeed.OpenAsync(live, ct);
        try
        {
            var request = await client.ClaimPassphraseSlotAsync(code.Slot, ct);
            return await HandshakeSteps.AnswerAsync(client, feed, request, code.Passphrase, ct);
        }
        catch
        {
            feed.Dispose();
            throw;
        }
    }
}
