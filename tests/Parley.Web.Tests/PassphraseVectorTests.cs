using System.Runtime.CompilerServices;
using System.Text.Json;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>
/// The page's SPAKE2 (web/js/passphrase/spake2.js) run in Chromium against the vectors the .NET
/// implementation is tested with: RFC 9382 Appendix B (every value of the key schedule) and
/// docs/passphrase.md's known answer for w. Both agreeing with the same vectors makes them agree with each other.
/// </summary>
public sealed class PassphraseVectorTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    /// <summary>The .NET tests' copy of the RFC's vectors, read from the source tree.</summary>
    private static string VectorFile([CallerFilePath] string path = "") =>
        Path.Combine(Path.GetDirectoryName(path)!, "..", "Parley.Core.Tests", "Passphrase", "rfc9382-p256.json");

    [Fact]
    public Task The_page_reproduces_every_value_of_the_four_rfc_9382_vectors() => RunAsync(async () =>
    {
        var page = await OpenAsync("vectors");
        var json = await File.ReadAllTextAsync(VectorFile());
        var vectors = JsonDocument.Parse(json).RootElement;

        var results = await page.Page.EvaluateAsync<JsonElement>("""
            async (json) => {
              const doc = JSON.parse(json);
              const s = await import('/js/passphrase/spake2.js');
              const { toHex, fromHex } = await import('/js/passphrase/bytes.js');
              const compressed = (point) => toHex(point.toBytes(true));
              const out = { M: compressed(s.M), N: compressed(s.N), vectors: [] };
              for (const v of doc.vectors) {
                const secret = s.secretFromScalar(fromHex(v.w), v.idA, v.idB);
                const a = s.startParty('A', secret, fromHex(v.x));
                const b = s.startParty('B', secret, fromHex(v.y));
                const [ka, kb] = [await a.finish(b.share), await b.finish(a.share)];
                out.vectors.push({
                  pA: toHex(a.share), pB: toHex(b.share),
                  K: [toHex(ka.sharedPoint), toHex(kb.sharedPoint)], Ke: [toHex(ka.ke), toHex(kb.ke)], Ka: [toHex(ka.ka), toHex(kb.ka)],
                  KcA: [toHex(ka.kcA), toHex(kb.kcA)], KcB: [toHex(ka.kcB), toHex(kb.kcB)],
                  confA: toHex(ka.ownConfirmation), confB: toHex(kb.ownConfirmation),
                  keA: toHex(ka.verifyPeer(kb.ownConfirmation)), keB: toHex(kb.verifyPeer(ka.ownConfirmation)),
                });
              }
              return out;
            }
            """, json);

        Assert.Equal(vectors.GetProperty("M").GetString(), results.GetProperty("M").GetString());
        Assert.Equal(vectors.GetProperty("N").GetString(), results.GetProperty("N").GetString());
        var expected = vectors.GetProperty("vectors").EnumerateArray().ToArray();
        var actual = results.GetProperty("vectors").EnumerateArray().ToArray();
        Assert.Equal(4, expected.Length);
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var (v, r) = (expected[i], actual[i]);
            string Want(string name) => v.GetProperty(name).GetString()!;
            Assert.Equal((Want("pA"), Want("pB")), (r.GetProperty("pA").GetString(), r.GetProperty("pB").GetString()));
            foreach (var name in new[] { "K", "Ke", "Ka", "KcA", "KcB" })
            {
                Assert.All(r.GetProperty(name).EnumerateArray(), side => Assert.Equal(Want(name), side.GetString()));
            }
            Assert.Equal((Want("confA"), Want("confB")), (r.GetProperty("confA").GetString(), r.GetProperty("confB").GetString()));
            Assert.Equal((Want("Ke"), Want("Ke")), (r.GetProperty("keA").GetString(), r.GetProperty("keB").GetString()));
        }
    });

    [Fact]
    public Task The_page_derives_the_documented_w_and_refuses_a_wrong_confirmation() => RunAsync(async () =>
    {
        var page = await OpenAsync("w");

        var result = await page.Page.EvaluateAsync<JsonElement>("""
            async () => {
              const s = await import('/js/passphrase/spake2.js');
              const { toHex } = await import('/js/passphrase/bytes.js');
              const secret = await s.deriveSecret('crossover-clockwork', 'alice', 'bob');
              const wrong = await s.deriveSecret('crossover-clockwork', 'bob', 'alice');
              const a = s.startParty('A', secret);
              const b = s.startParty('B', wrong);
              const [ka, kb] = [await a.finish(b.share), await b.finish(a.share)];
              let refused = null;
              try { ka.verifyPeer(kb.ownConfirmation); } catch (e) { refused = e.failure; }
              let offCurve = null;
              const bad = Uint8Array.from(a.share); bad[64] ^= 1;
              try { await s.startParty('B', secret).finish(bad); } catch (e) { offCurve = e.failure; }
              return { w: toHex(secret.w), swapped: toHex(wrong.w), refused, offCurve };
            }
            """);

        Assert.Equal("d98d2a7f4768ca6578f647b12ea3e3209a42d0a13b74f072423230d19cfd1c06", result.GetProperty("w").GetString());
        Assert.NotEqual(result.GetProperty("w").GetString(), result.GetProperty("swapped").GetString());
        Assert.Equal("mismatch", result.GetProperty("refused").GetString());
        Assert.Equal("malformed", result.GetProperty("offCurve").GetString());
    });
}
