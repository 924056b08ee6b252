using System.Text.Json;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>
/// The page's FastCDC and content id (web/js/content-scan.js) run in Chromium on the protocol's chunking
/// vector, the one Core's FastCdcTests pins (docs/transfer.md): the same cut points and id as the .NET
/// client and the server, so the server accepts the page's manifests and reuses the chunks they share.
/// </summary>
public sealed class ChunkingVectorTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    [Fact]
    public Task The_page_cuts_the_protocol_vector_like_the_dotnet_client() => RunAsync(async () =>
    {
        var page = await OpenAsync("vector");

        var result = await page.Page.EvaluateAsync<JsonElement>("""
            async () => {
              const { scanContent } = await import('/js/content-scan.js');
              const { sha256 } = await import('/vendor/noble-hashes/sha2.js');
              // 12 MiB where 32-byte block i is SHA-256("parley-fastcdc-vector" || u32 big-endian i).
              const data = new Uint8Array(12 * 1024 * 1024);
              const input = new Uint8Array([...new TextEncoder().encode('parley-fastcdc-vector'), 0, 0, 0, 0]);
              const counter = new DataView(input.buffer, input.length - 4);
              for (let i = 0; i < data.length / 32; i++) {
                counter.setUint32(0, i);
                data.set(sha256(input), i * 32);
              }
              const manifest = await scanContent(new Blob([data]));
              return { contentId: manifest.contentId, lengths: manifest.chunks.map((c) => c.length), offsets: manifest.chunks.map((c) => c.offset) };
            }
            """);

        int[] expected = [383552, 1135928, 1384468, 1201844, 679611, 1079072, 1559714, 1138852, 720747, 1234465, 996933, 1067726];
        Assert.Equal(expected, result.GetProperty("lengths").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(expected.Select((_, i) => (long)expected.Take(i).Sum()), result.GetProperty("offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("sha256:47417ce21808aca94b9ef2eae94314ee91f87a6dcf524f3b492b2d7ca8740211", result.GetProperty("contentId").GetString());
    });

    [Fact]
    public Task The_page_proves_holding_the_protocol_vector_and_names_small_content_as_one_chunk() => RunAsync(async () =>
    {
        var page = await OpenAsync("proof");

        // docs/transfer.md's proof vectors: nonce 0x00…0x1f, 100,000 bytes where byte i is i mod 251, challenged whole
        // (the default blocks) or on 8 blocks of 1,000 bytes (block 40 drawn twice) or of 999 (ending on the short last block).
        var result = await page.Page.EvaluateAsync<JsonElement>("""
            async () => {
              const { challengedBlocks, hashContent, proveHolding, scanContent } = await import('/js/content-scan.js');
              const content = new Blob([Uint8Array.from({ length: 100000 }, (_, i) => i % 251)]);
              const manifest = await scanContent(content);
              const nonce = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=';
              const proof = await proveHolding(content, { nonce, blockLength: 4096, blocks: 4096 });
              const sampled = await proveHolding(content, { nonce, blockLength: 1000, blocks: 8 });
              const shortLast = await proveHolding(content, { nonce, blockLength: 999, blocks: 8 });
              const drawn = challengedBlocks(content.size, { nonce, blockLength: 1000, blocks: 8 }).join(',');
              const empty = await scanContent(new Blob([]));
              return { proof, sampled, shortLast, drawn, hashed: await hashContent(content), contentId: manifest.contentId, chunks: manifest.chunks,
                emptyChunks: empty.chunks.length, emptyId: empty.contentId };
            }
            """);

        Assert.Equal("DU/xZqUNplS9kWre9CNW2k0qBm9RVNLVaaTk02evtx0=", result.GetProperty("proof").GetString());
        Assert.Equal("Tyg6W+tJ72I+j1Ql5qH8eXh621bOoXIP8N4+u8Irf9s=", result.GetProperty("sampled").GetString());
        Assert.Equal("ZpqNpQylKS+eJ3FK2JlH0IGq7Aw7CBsk+K4pht6SrZY=", result.GetProperty("shortLast").GetString());
        Assert.Equal("2,33,40,40,41,43,66,90", result.GetProperty("drawn").GetString());
        const string id = "sha256:cd2df694e424bc7968cc37f47751019e5ca0cd1bdf2e479ea537c3a1c32ee1aa";
        Assert.Equal(id, result.GetProperty("contentId").GetString());
        Assert.Equal(id, result.GetProperty("hashed").GetString());
        var chunk = Assert.Single(result.GetProperty("chunks").EnumerateArray());
        Assert.Equal((id, 100000), (chunk.GetProperty("id").GetString(), chunk.GetProperty("length").GetInt32()));
        Assert.Equal(0, result.GetProperty("emptyChunks").GetInt32());
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", result.GetProperty("emptyId").GetString());
    });
}
