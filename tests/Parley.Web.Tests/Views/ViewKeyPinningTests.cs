using System.Text.Json;
using Xunit.Abstractions;

namespace Parley.Web.Tests.Views;

/// <summary>
/// The page pins the server's view key on first use (web/js/views/play-session.js) and refuses a play whose server
/// share is not signed by that key: a forged signature, a substituted key, a key whose id does not match it. The
/// server here is a stand-in in the page (an api object), so each forgery is exactly the one named.
/// </summary>
public sealed class ViewKeyPinningTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    [Fact]
    public Task A_play_is_refused_unless_its_share_is_signed_by_the_pinned_view_key() => RunAsync(async () =>
    {
        var page = await OpenAsync("pinning");

        var outcomes = await page.Page.EvaluateAsync<JsonElement>("""
            async () => {
              const p = await import('/js/views/play-protocol.js');
              const { startPlay } = await import('/js/views/play-session.js');
              const { createDeviceKey, saveDevice } = await import('/js/device-key.js');
              const device = await createDeviceKey();
              await saveDevice({ userName: 'pin-user', userId: 'u_pin', deviceId: 'd_pin', ...device });
              const newKey = async () => {
                const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
                const publicKey = p.toBase64Url(new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey)));
                return { privateKey: pair.privateKey, publicKey, keyId: await p.viewKeyId(publicKey) };
              };
              const genuine = await newKey();
              const other = await newKey();
              // A stand-in server: publishes `published`, signs with `signer`, names `keyId` in its answer.
              const server = ({ published = genuine, signer = genuine, keyId = signer.keyId } = {}) => ({
                viewKey: async () => ({ keyId: published.keyId, publicKey: published.publicKey }),
                startPlay: async (media, clientShare, deviceSignature) => {
                  const share = await p.createShare();
                  const started = { playId: 'p_pin', userId: 'u_pin', deviceId: 'd_pin', media, contentId: 'sha256:00', serverShare: share.share,
                    keyId, sealedEveryMs: 5000, plainEveryMs: 15000, toleranceMs: 1000, streamUrl: '/x', mediaType: 'video/webm', size: 1 };
                  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, signer.privateKey, p.transcriptBytes(started, clientShare));
                  return { ...started, serverSignature: p.toBase64Url(new Uint8Array(signature)) };
                },
              });
              const attempt = async (api) => {
                try {
                  return (await startPlay(api, { media: 'm_pin', userName: 'pin-user' })).started.playId;
                } catch (error) {
                  return error.code ?? String(error);
                }
              };
              const forget = () => new Promise((resolve) => { const r = indexedDB.deleteDatabase('parley-view-keys'); r.onsuccess = r.onerror = resolve; });
              const out = {};
              out.firstUse = await attempt(server());
              out.again = await attempt(server());
              out.forgedSignature = await attempt(server({ signer: other, keyId: genuine.keyId }));
              out.substitutedKey = await attempt(server({ published: other, signer: other }));
              await forget();
              out.idNotOfKey = await attempt(server({ published: { ...genuine, keyId: other.keyId } }));
              out.afterForgetting = await attempt(server({ published: other, signer: other }));
              out.oldKeyAfterForgetting = await attempt(server());
              return out;
            }
            """);

        string Outcome(string name) => outcomes.GetProperty(name).GetString()!;
        Assert.Equal("p_pin", Outcome("firstUse"));
        Assert.Equal("p_pin", Outcome("again"));
        Assert.Equal("view.key_mismatch", Outcome("forgedSignature"));
        // The server now shows another key: the pin holds, so the play is refused rather than the new key trusted.
        Assert.Equal("view.key_mismatch", Outcome("substitutedKey"));
        Assert.Equal("view.key_mismatch", Outcome("idNotOfKey"));
        // A browser that forgot its pin trusts the key it sees next, and then only that one.
        Assert.Equal("p_pin", Outcome("afterForgetting"));
        Assert.Equal("view.key_mismatch", Outcome("oldKeyAfterForgetting"));
    });
}
