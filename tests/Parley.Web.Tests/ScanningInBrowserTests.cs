using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Parley.Core.Scanning.Features;
using Parley.Core.Scanning.Identifier;
using Parley.Core.Transfer;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>
/// The rest of the page's first detection against the C#: the identifier's byte layout (docs/scanning.md's test
/// vector, and identifiers the page signs verified by <see cref="IdentifierVerifier"/>), the feature text's strict
/// parsing (the same refusals with the same line numbers), the private-chunk payload rule, and hostile bytes.
/// </summary>
public sealed class ScanningInBrowserTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string VectorPublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEMYN+R2Ie66hius+9bEFaKiS0CeLKPO7cUScYHbPYeyBfBQ9wgh95gY0W7YDF5mHqvdpHzIeb6GpTQXTQYOdWYg==";
    private const string VectorIdentifier = "Adeo-7MH14CUacqavLAILk-NVlHkbTzbdi0C0L83yeWSAAAAAAAAACoAAAGiT4RMAAWGlqtcX29zr4iy6YTnNU3xhZ4dPB3hbBWJLYCFOLdj9dMuNZk1h6DW5nhwUWzWj7hB4h6KKbSwMMMExOaNBl8";

    [Fact]
    public Task The_page_reads_the_documented_identifier_vector_and_signs_identifiers_the_verifier_accepts() => RunAsync(async () =>
    {
        var page = await OpenAsync("identifier");

        var result = await page.Page.EvaluateAsync<JsonElement>("""
            async ({ vector, publicKey }) => {
              const { createIdentifier, decodeIdentifier, signedBytes } = await import('/js/scanning/identifier.js');
              const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
              const decoded = decodeIdentifier(vector);
              const bytes = signedBytes(decoded.contentId, decoded.libraryVersion, decoded.signedAtMs);
              const key = await crypto.subtle.importKey('spki', Uint8Array.from(atob(publicKey), (c) => c.charCodeAt(0)), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
              const vectorVerifies = await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, decoded.signature, bytes);
              const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
              const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
              const contentId = 'sha256:d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592';
              return {
                contentId: decoded.contentId, libraryVersion: decoded.libraryVersion, signedAtMs: decoded.signedAtMs,
                signedBytes: hex(bytes), signature: hex(decoded.signature), vectorVerifies,
                made: await createIdentifier(pair.privateKey, contentId, 7),
                publicKey: btoa(String.fromCharCode(...spki)),
                malformed: [decodeIdentifier(vector.slice(1)), decodeIdentifier(vector.slice(0, 150) + '!'), decodeIdentifier('B' + vector.slice(1))],
              };
            }
            """, new { vector = VectorIdentifier, publicKey = VectorPublicKey });

        Assert.Equal("sha256:d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592", result.GetProperty("contentId").GetString());
        Assert.Equal(42, result.GetProperty("libraryVersion").GetInt64());
        Assert.Equal(1796630400000, result.GetProperty("signedAtMs").GetInt64());
        Assert.Equal("7061726c65792d7363616e2d69642d76310ad7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592000000000000002a000001a24f844c00",
            result.GetProperty("signedBytes").GetString());
        Assert.Equal("058696ab5c5f6f73af88b2e984e7354df1859e1d3c1de16c15892d808538b763f5d32e35993587a0d6e67870516cd68fb841e21e8a29b4b030c304c4e68d065f",
            result.GetProperty("signature").GetString());
        Assert.True(result.GetProperty("vectorVerifies").GetBoolean());
        Assert.All(result.GetProperty("malformed").EnumerateArray(), m => Assert.Equal(JsonValueKind.Null, m.ValueKind));

        var made = result.GetProperty("made").GetString();
        var verifier = new IdentifierVerifier(TimeProvider.System, TimeSpan.FromDays(1), TimeSpan.FromMinutes(5));
        var contentId = ContentId.Parse("sha256:d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
        var check = verifier.Verify(made, result.GetProperty("publicKey").GetString()!, contentId, 7);
        Assert.Equal(IdentifierStatus.Valid, check.Status);
        Assert.Equal(7, check.Identifier!.LibraryVersion);
        Assert.Equal(IdentifierStatus.Stale, verifier.Verify(made, result.GetProperty("publicKey").GetString()!, contentId, 8).Status);
        Assert.Equal(IdentifierStatus.Forged, verifier.Verify(made, VectorPublicKey, contentId, 7).Status);
    });

    public static readonly string[] BadFeatureTexts =
    [
        "parley-features 2\nversion 1\n",
        "parley-features 1\nfeature 1 A.B bytes any 41 x\n",
        "parley-features 1\nversion 2\nfeature 3 A.B bytes any 41 newer than the file\n",
        "parley-features 1\nversion 2\nfeature 1 A.B bytes any 41 one\nfeature 2 A.B bytes any 42 twice\n",
        "parley-features 1\nversion 2\nfeature 1 bad/name bytes any 41 x\n",
        "parley-features 1\nversion 2\nfeature 1 A.B file-sha256 abc:* short hash\n",
        "parley-features 1\nversion 2\nfeature 1 A.B bytes any 4?1 x\n",
        "parley-features 1\nversion 2\nfeature 1 A.B bytes any {2}41 gap first\n",
        "parley-features 1\nversion 2\nfeature 1 A.B bytes start+0 41*42 unbounded anchored\n",
        "parley-features 1\nversion 2\nfeature 1 A.B bytes end 41{1-2}42 variable end\n",
        "parley-features 1\nversion 2\nfeature 1 A.B bytes sideways 41 x\n",
        "parley-features 1\nversion 2\nfeature 1 A.B bytes any 41\n",
        "parley-features 1\nversion 2\nfeature 1 A.B bytes any 41{70000}42 too long\n",
        "parley-features 1\nversion 2\nremoved 1 A.B extra\n",
        "parley-features-delta 1\nfrom 3\nversion 2\n",
        "parley-features 1\nversion 2\nwhat is this\n",
    ];

    [Fact]
    public Task The_page_refuses_the_same_feature_texts_as_the_dotnet_parser_with_the_same_line() => RunAsync(async () =>
    {
        var page = await OpenAsync("features");
        var messages = await page.Page.EvaluateAsync<string[]>("""
            async (texts) => {
              const { parseDelta, parseLibrary } = await import('/js/scanning/feature-text.js');
              return texts.map((text) => {
                try {
                  (text.startsWith('parley-features-delta') ? parseDelta : parseLibrary)(text);
                  return 'accepted';
                } catch (error) {
                  return error.message;
                }
              });
            }
            """, BadFeatureTexts);

        for (var i = 0; i < BadFeatureTexts.Length; i++)
        {
            var text = BadFeatureTexts[i];
            var error = Assert.Throws<FeatureFormatException>(() =>
            {
                if (text.StartsWith("parley-features-delta", StringComparison.Ordinal)) FeatureText.ParseDelta(text);
                else FeatureText.ParseLibrary(text);
            });
            Assert.Equal(error.Message, messages[i]);
        }
    });

    [Fact]
    public Task A_private_png_chunk_is_a_payload_that_payload_features_match_without_a_finding_of_its_own() => RunAsync(async () =>
    {
        var page = await OpenAsync("private-chunk");
        var secret = "parley-private-marker and more bytes"u8.ToArray();
        var png = TestFiles.WithChunk(TestFiles.Png(8, 8), "prVt", secret);
        var known = TestFiles.WithChunk(TestFiles.Png(8, 8), "tEXt", secret);
        var library = $"parley-features 1\nversion 1\nfeature 1 Test.Private payload-sha256 {Convert.ToHexStringLower(SHA256.HashData(secret))}:{secret.Length} Hidden in a private chunk\n";

        var results = await page.Page.EvaluateAsync<JsonElement>("""
            async ({ library, files }) => {
              const { parseLibrary, EMPTY_LIBRARY } = await import('/js/scanning/feature-text.js');
              const { compileMatcher } = await import('/js/scanning/matcher.js');
              const { inspectFile } = await import('/js/scanning/inspect.js');
              const out = [];
              for (const lib of [EMPTY_LIBRARY, parseLibrary(library)]) {
                for (const base64 of files) {
                  const file = new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))]);
                  const r = await inspectFile(file, compileMatcher(lib), { declaredMediaType: 'image/png', fileName: 'p.png' });
                  out.push({ codes: r.findings.map((f) => f.code), payloads: r.payloads });
                }
              }
              return out;
            }
            """, new { library, files = new[] { Convert.ToBase64String(png), Convert.ToBase64String(known) } });

        // Without the feature both pass; the private chunk's data (after its 8-byte header at 33) is a payload, tEXt's is not.
        Assert.Empty(results[0].GetProperty("codes").EnumerateArray());
        var payload = Assert.Single(results[0].GetProperty("payloads").EnumerateArray());
        Assert.Equal((41, secret.Length), (payload.GetProperty("start").GetInt32(), payload.GetProperty("length").GetInt32()));
        Assert.Empty(results[1].GetProperty("payloads").EnumerateArray());
        Assert.Equal(["feature.match"], results[2].GetProperty("codes").EnumerateArray().Select(c => c.GetString()));
        Assert.Empty(results[3].GetProperty("codes").EnumerateArray());
    });

    [Fact]
    public Task Hostile_bytes_cost_the_page_time_in_proportion_to_their_size() => RunAsync(async () =>
    {
        var page = await OpenAsync("hostile");
        // Variable gaps over bytes that are all the pattern's first byte: every byte starts a candidate, and a
        // backtracking search without memory of its failures would be exponential in the gaps. The matcher's cost per
        // candidate is bounded by the part's length, so four times the bytes cost about four times the time.
        const string library = "parley-features 1\nversion 1\nfeature 1 Test.Gaps bytes any 4141{0-12}41{0-12}41{0-12}42 many gaps\n";
        var result = await page.Page.EvaluateAsync<JsonElement>("""
            async (library) => {
              const { parseLibrary } = await import('/js/scanning/feature-text.js');
              const { compileMatcher } = await import('/js/scanning/matcher.js');
              const { inspectFile } = await import('/js/scanning/inspect.js');
              const matcher = compileMatcher(parseLibrary(library));
              const time = async (size) => {
                const started = performance.now();
                const r = await inspectFile(new Blob([new Uint8Array(size).fill(0x41)]), matcher, { fileName: 'a.png' });
                return { ms: performance.now() - started, codes: r.findings.map((f) => f.code) };
              };
              await time(16 * 1024);
              return { small: await time(64 * 1024), large: await time(256 * 1024) };
            }
            """, library);
        var (small, large) = (result.GetProperty("small").GetProperty("ms").GetDouble(), result.GetProperty("large").GetProperty("ms").GetDouble());
        Output.WriteLine($"All-'A' bytes against three variable gaps: 64 KiB in {small:F0} ms, 256 KiB in {large:F0} ms");
        Assert.Equal(["type.unknown"], result.GetProperty("large").GetProperty("codes").EnumerateArray().Select(c => c.GetString()));
        Assert.True(large < 10 * Math.Max(small, 50), $"256 KiB took {large:F0} ms against {small:F0} ms for 64 KiB: more than linear.");
    });
}
