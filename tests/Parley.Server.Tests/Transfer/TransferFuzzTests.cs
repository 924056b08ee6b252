using System.Security.Cryptography;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Testing;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Transfer;

/// <summary>
/// Seeded, bounded fuzzing of what a transfer client sends: manifests and tus headers. Every answer
/// is a success or one of the documented refusals, never a 5xx.
/// </summary>
public sealed class TransferFuzzTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private Api _api = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Transfer:MaxUnfinishedTransfers"] = "100000" });
        _api = new Api(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static async Task AssertDocumented(HttpResponseMessage response, params string[] codes)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {body}");
        if (response.IsSuccessStatusCode) return;
        var code = JsonDocument.Parse(body).RootElement.GetProperty("code").GetString();
        Assert.True(codes.Contains(code), $"{(int)response.StatusCode} {code}: {body}");
    }

    [Fact]
    public async Task Random_manifests_are_accepted_or_refused_as_documented()
    {
        var random = new Random(1410);
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);
        var id = ContentId.Of([1]).ToString();
        for (var i = 0; i < 150; i++)
        {
            var size = random.Next(4) switch { 0 => -random.Next(10), 1 => random.Next(0, 10), 2 => random.Next(1, 3 * FastCdc.MaxSize), _ => random.NextInt64(0, long.MaxValue) };
            var chunks = Enumerable.Range(0, random.Next(0, 20)).Select(_ => new ChunkDto(
                random.Next(5) == 0 ? "sha256:" + new string('g', 64) : ContentId.Of(BitConverter.GetBytes(random.Next())).ToString(),
                random.Next(4) switch { 0 => 0, 1 => -random.Next(100), 2 => FastCdc.MaxSize + random.Next(2), _ => random.Next(1, FastCdc.MaxSize) })).ToList();
            var request = new CreateTransferRequest(random.Next(6) == 0 ? "sha256:XYZ" : id, size, room.Id, Chunks: random.Next(5) == 0 ? null : chunks);
            await AssertDocumented(await TransferDriver.Post(alice, request),
                ProblemCodes.TransferInvalidManifest, ProblemCodes.TransferInvalidContentId, ProblemCodes.TransferTooLarge, ProblemCodes.RequestInvalid);
        }
        // Not even JSON of the right shape.
        foreach (var body in new[] { "{", "[]", "{\"contentId\":5}", "{\"contentId\":\"" + id + "\",\"size\":\"big\"}", "{\"chunks\":{}}", "null" })
        {
            var response = await alice.Http.PostAsync("/api/transfers", new StringContent(body, Encoding.UTF8, "application/json"));
            await AssertDocumented(response, ProblemCodes.RequestInvalid, ProblemCodes.TransferInvalidContentId, ProblemCodes.TransferNoTarget);
        }
    }

    [Fact]
    public async Task Random_tus_headers_are_accepted_or_refused_as_documented()
    {
        var random = new Random(1411);
        var alice = await _api.NewUser();
        var room = await _api.NewRoom(alice);
        // 64 random bytes: an upload the headers let complete is refused by the second detection (share.blocked).
        var content = RandomNumberGenerator.GetBytes(64);
        string[] sizes = ["0", "64", "-1", "+64", " 64", "1e2", "18446744073709551616", "", "6 4", "0x40"];
        string[] versions = ["1.0.0", "", "1.0", "0.2.2", "1.0.0, 1.0.0"];
        string[] checksums = ["", "sha1 AAAA", "sha256 " + Convert.ToBase64String(new byte[32]), "md5 x", "sha1", "sha1 !!!!", "sha256 " + new string('A', 10000)];
        string[] documented = [ProblemCodes.RequestInvalid, ProblemCodes.TusVersionUnsupported, ProblemCodes.TransferNotFound, ProblemCodes.TransferWrongState,
            ProblemCodes.UploadLengthMismatch, ProblemCodes.UploadExists, ProblemCodes.UploadNotFound, ProblemCodes.UploadOffsetMismatch,
            ProblemCodes.UploadChecksumMismatch, ProblemCodes.UploadTooLong, ProblemCodes.UploadLocked, ProblemCodes.RequestUnsupportedMediaType,
            ProblemCodes.UploadQuotaExceeded, ProblemCodes.TransferHashMismatch, ProblemCodes.ShareBlocked];
        string Pick(string[] values) => values[random.Next(values.Length)];

        for (var i = 0; i < 40; i++)
        {
            var transfer = await CreateAndProve(alice, Announce(content, room: room.Id), content);
            var metadata = random.Next(4) switch
            {
                0 => $"transferId {Convert.ToBase64String(Encoding.UTF8.GetBytes(transfer.Id))}",
                1 => $"transferId {transfer.Id}",
                2 => $"filename {Convert.ToBase64String("a"u8)},transferId {Convert.ToBase64String(Encoding.UTF8.GetBytes(transfer.Id))},transferId eA==",
                _ => "transferId",
            };
            var create = Tus(HttpMethod.Post, "/api/uploads");
            create.Headers.Remove("Tus-Resumable");
            create.Headers.TryAddWithoutValidation("Tus-Resumable", Pick(versions));
            create.Headers.TryAddWithoutValidation("Upload-Length", Pick(sizes));
            create.Headers.TryAddWithoutValidation("Upload-Metadata", metadata);
            var created = await alice.Http.SendAsync(create);
            await AssertDocumented(created, documented);
            var location = created.Headers.Location?.ToString() ?? "/api/uploads/up_nothing";

            for (var j = 0; j < 4; j++)
            {
                var patch = Tus(HttpMethod.Patch, location);
                patch.Headers.TryAddWithoutValidation("Upload-Offset", Pick(sizes));
                patch.Headers.TryAddWithoutValidation("Upload-Checksum", Pick(checksums));
                patch.Content = new ByteArrayContent(content[..random.Next(content.Length + 1)]);
                patch.Content.Headers.ContentType = new MediaTypeHeaderValue(random.Next(6) == 0 ? "text/plain" : "application/offset+octet-stream");
                await AssertDocumented(await alice.Http.SendAsync(patch), documented);
                var head = await alice.Http.SendAsync(Tus(HttpMethod.Head, location));
                Assert.True(head.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, head.StatusCode.ToString());
            }
        }
    }
}
