using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Parley.Core.Json;
using System.Security.Cryptography;
using System.Text;
using Parley.Core.Transfer;
using Parley.Testing.Scanning;

namespace Parley.Server.Tests.Transfer;

/// <summary>Speaks the transfer protocol and tus 1.0.0 over raw HTTP, the way any client would.</summary>
public static class TransferDriver
{
    public static CreateTransferRequest Announce(byte[] content, string? room = null, string? to = null, bool withManifest = false, string mediaType = "image/png")
    {
        var manifest = withManifest ? ContentScanner.ScanAsync(new MemoryStream(content)).Result : null;
        return new CreateTransferRequest(ContentId.Of(content).ToString(), content.Length, room, to, "picture.png", mediaType,
            manifest?.Chunks.Select(c => new ChunkDto(c.Id.ToString(), c.Length)).ToList());
    }

    /// <summary>Announces, with the user's device's identifier as a client whose first detection passed sends it (<see cref="TestDevice.Sign"/>).</summary>
    public static async Task<TransferDto> Create(TestUser user, CreateTransferRequest request) =>
        await Api.Read<TransferDto>(await Post(user, request), HttpStatusCode.Created);

    /// <summary>Posts the announcement, signed as in <see cref="Create"/>, and returns the raw answer.</summary>
    public static async Task<HttpResponseMessage> Post(TestUser user, CreateTransferRequest request) =>
        await Api.PostJson(user.Http, "/api/transfers", await user.Device.Sign(request));

    public static async Task<string> Proof(TransferDto transfer, byte[] content) =>
        Convert.ToBase64String(await OwnershipChallenge.FromDto(transfer.Challenge, transfer.Size)!.AnswerAsync(new MemoryStream(content)));

    /// <summary>Gives the manifest of <paramref name="content"/> after the proof (content id first) and returns the raw answer.</summary>
    public static Task<HttpResponseMessage> GiveManifest(TestUser user, string transferId, IReadOnlyList<ChunkDto> chunks) =>
        user.Http.PutAsJsonAsync($"/api/transfers/{transferId}/manifest", new ManifestRequest(chunks), ParleyJson.Options);

    public static IReadOnlyList<ChunkDto> ManifestOf(byte[] content) =>
        ContentScanner.ScanAsync(new MemoryStream(content)).Result.Chunks.Select(c => new ChunkDto(c.Id.ToString(), c.Length)).ToList();

    public static Task<HttpResponseMessage> Prove(TestUser user, TransferDto transfer, string proof) =>
        Api.PostJson(user.Http, $"/api/transfers/{transfer.Id}/proof", new ProofRequest(proof));

    /// <summary>The bytes a transfer's upload plan asks for: the missing chunks in order, or everything.</summary>
    public static byte[] UploadBytes(TransferDto transfer, byte[] content, CreateTransferRequest request)
    {
        if (transfer.Upload!.MissingChunks is not { } missing) return content;
        var offsets = new List<long>();
        long offset = 0;
        foreach (var chunk in request.Chunks!)
        {
            offsets.Add(offset);
            offset += chunk.Length;
        }
        return missing.SelectMany(i => content.AsSpan((int)offsets[i], request.Chunks![i].Length).ToArray()).ToArray();
    }

    public static HttpRequestMessage Tus(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }

    public static async Task<HttpResponseMessage> CreateUpload(TestUser user, string transferId, long length)
    {
        var request = Tus(HttpMethod.Post, "/api/uploads");
        request.Headers.Add("Upload-Length", length.ToString());
        request.Headers.Add("Upload-Metadata", $"transferId {Convert.ToBase64String(Encoding.UTF8.GetBytes(transferId))},filename {Convert.ToBase64String("x.png"u8)}");
        return await user.Http.SendAsync(request);
    }

    public static async Task<string> StartUpload(TestUser user, string transferId, long length)
    {
        var response = await CreateUpload(user, transferId, length);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    public static Task<HttpResponseMessage> Patch(TestUser user, string location, long offset, byte[] bytes, string? checksum = null)
    {
        var request = Tus(HttpMethod.Patch, location);
        request.Headers.Add("Upload-Offset", offset.ToString());
        if (checksum is not null) request.Headers.Add("Upload-Checksum", checksum);
        request.Content = new ByteArrayContent(bytes);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        return user.Http.SendAsync(request);
    }

    public static async Task<long> Offset(TestUser user, string location)
    {
        var response = await user.Http.SendAsync(Tus(HttpMethod.Head, location));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single());
    }

    public static string Sha1(byte[] bytes) => "sha1 " + Convert.ToBase64String(SHA1.HashData(bytes));

    /// <summary>Announces and proves: the answer is delivered (a hit) or says what to upload.</summary>
    public static async Task<TransferDto> CreateAndProve(TestUser user, CreateTransferRequest request, byte[] content)
    {
        var announced = await Create(user, request);
        Assert.Equal((TransferState.Prove, null), (announced.State, announced.Dedup));
        return await Api.Read<TransferDto>(await Prove(user, announced, await Proof(announced, content)));
    }

    /// <summary>The whole happy path: announce, prove, upload what is asked, read the delivered transfer.</summary>
    public static async Task<TransferDto> Send(TestUser user, byte[] content, string? room = null, string? to = null, bool withManifest = false)
    {
        var request = Announce(content, room, to, withManifest);
        var transfer = await CreateAndProve(user, request, content);
        if (transfer.State != TransferState.Upload) return transfer;
        var bytes = UploadBytes(transfer, content, request);
        if (bytes.Length > 0)
        {
            var location = await StartUpload(user, transfer.Id, bytes.Length);
            var done = await Patch(user, location, 0, bytes);
            Assert.True(done.StatusCode == HttpStatusCode.NoContent, await done.Content.ReadAsStringAsync());
        }
        return await Api.Read<TransferDto>(await user.Http.GetAsync($"/api/transfers/{transfer.Id}"));
    }

    /// <summary>
    /// Content of exactly <paramref name="length"/> bytes that every share accepts: a valid PNG of noise
    /// (<see cref="NoisePictures"/>): the driver announces <c>picture.png</c>, and a file that claims media must be media.
    /// </summary>
    public static byte[] RandomPicture(int length) => NoisePictures.Png(length);

    /// <summary>A noise picture from <paramref name="seed"/> and the same picture with one pixel changed at <paramref name="edit"/> (at most 16 KiB from the end).</summary>
    public static (byte[] Original, byte[] Edited) PictureAndEdit(int length, int seed, Index edit)
    {
        var noise = new byte[length];
        new Random(seed).NextBytes(noise);
        var original = NoisePictures.Png(length, noise);
        // Within the pixels: the picture's last bytes are its structure (checksums, padding, IEND), not noise.
        noise[Math.Min(edit.GetOffset(length), length - 16 * 1024)] ^= 0xFF;
        return (original, NoisePictures.Png(length, noise));
    }
}
