using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Json;
using Parley.Core.Problems;
using Parley.Core.Scanning;
using Parley.Core.Transfer;
using Parley.Server.Scanning;
using Parley.Server.Storage;
using Parley.Server.Transfer;
using Parley.Testing;
using Parley.Testing.Scanning;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Scanning;

/// <summary>
/// The type rule on the share path (docs/scanning.md, "Type"), with the real worker: attachments are shared and
/// reach no decoder, audio reaches ffprobe (header and decode), media in disguise stays refused.
/// </summary>
public sealed class AttachmentShareTests : IAsyncLifetime
{
    private RunningServer _server = null!;
    private Api _api = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync();
        _api = new Api(_server);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, string, string> Attachments => new()
    {
        { "pdf", "report.pdf", "application/pdf" },
        { "zip", "letter.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        { "text", "notes.txt", "text/plain" },
        // Starts "BM" like a BMP picture: an attachment must still not be sent to the picture decoders.
        { "bm-text", "bm-notes.txt", "text/plain" },
    };

    private static byte[] Attachment(string kind) => kind switch
    {
        "pdf" => MediaSamples.Pdf,
        "zip" => MediaSamples.ZipOfSeveral(),
        "text" => [.. MediaSamples.Text, .. System.Text.Encoding.ASCII.GetBytes(Guid.NewGuid().ToString())],
        "bm-text" => System.Text.Encoding.ASCII.GetBytes($"BM notes for the board\n{Guid.NewGuid()}\n"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(Attachments))]
    public async Task An_attachment_is_shared_end_to_end_without_a_decoder(string kind, string fileName, string mediaType)
    {
        var content = Attachment(kind);
        var verdict = await ShareExpectingDelivery(content, fileName, mediaType);

        Assert.Equal((true, "[]"), (verdict.Passed, verdict.Findings));
        Assert.Equal(["inspector"], Detectors(verdict.Timings));
    }

    [Theory]
    [InlineData("wav", "song.wav", "audio/wav")]
    [InlineData("flac", "song.flac", "audio/flac")]
    [InlineData("mp3", "song.mp3", "audio/mpeg")]
    public async Task Audio_made_by_ffmpeg_is_shared_after_ffprobe_decodes_it(string kind, string fileName, string mediaType)
    {
        var content = kind switch { "wav" => await TestMedia.Wav(), "flac" => await TestMedia.Flac(), _ => await TestMedia.Mp3() };
        var verdict = await ShareExpectingDelivery(content, fileName, mediaType);

        Assert.Equal((true, "[]"), (verdict.Passed, verdict.Findings));
        Assert.Equal(["ffprobe", "inspector"], Detectors(verdict.Timings));
    }

    [Theory]
    [InlineData("html", "cat.jpg", "image/jpeg", "HTML")]
    [InlineData("elf", "report.pdf", "application/pdf", "ELF")]
    [InlineData("zip", "photo.png", "image/png", "ZIP")]
    public async Task Media_in_disguise_and_executables_stay_refused(string kind, string fileName, string mediaType, string what)
    {
        byte[] content = kind switch
        {
            "html" => [.. MediaSamples.Html, .. System.Text.Encoding.ASCII.GetBytes($"<!-- {Guid.NewGuid()} -->")],
            "elf" => [.. MediaSamples.ElfHeader(), .. Guid.NewGuid().ToByteArray()],
            _ => MediaSamples.ZipOfSeveral(),
        };
        var alice = await _api.NewUser("alice");
        var room = (await _api.NewRoom(alice)).Id;
        var request = Announce(content, room: room) with { FileName = fileName, MediaType = mediaType };

        var (_, last) = await Complete(alice, request, content);

        var body = await last.Content.ReadAsStringAsync();
        await Api.AssertProblem(last, HttpStatusCode.UnprocessableEntity, ProblemCodes.ShareBlocked);
        var findings = JsonDocument.Parse(body).RootElement.GetProperty(ShareRefusalMembers.Findings).Deserialize<List<ScanFinding>>(ParleyJson.Options)!;
        Assert.Contains(findings, f => f.Code == ScanFindingCodes.TypeMismatch && f.Detail.Contains(what, StringComparison.Ordinal));
    }

    /// <summary>Announces, proves and uploads; the request that completed the share must succeed and the transfer be delivered.</summary>
    private async Task<ScanVerdict> ShareExpectingDelivery(byte[] content, string fileName, string mediaType)
    {
        var alice = await _api.NewUser("alice");
        var room = (await _api.NewRoom(alice)).Id;
        var request = Announce(content, room: room) with { FileName = fileName, MediaType = mediaType };

        var (transferId, last) = await Complete(alice, request, content);

        Assert.True(last.IsSuccessStatusCode, await last.Content.ReadAsStringAsync());
        var transfer = await Api.Read<TransferDto>(await alice.Http.GetAsync($"/api/transfers/{transferId}"));
        Assert.Equal(TransferState.Delivered, transfer.State);
        return await _api.InDatabase(db => db.ScanVerdicts.SingleAsync(v => v.ContentId == request.ContentId));
    }

    private static async Task<(string TransferId, HttpResponseMessage Last)> Complete(TestUser user, CreateTransferRequest request, byte[] content)
    {
        var transfer = await CreateAndProve(user, request, content);
        var bytes = UploadBytes(transfer, content, request);
        var location = await StartUpload(user, transfer.Id, bytes.Length);
        return (transfer.Id, await Patch(user, location, 0, bytes));
    }

    private static List<string> Detectors(string timings) =>
        [.. JsonSerializer.Deserialize<List<DetectorTiming>>(timings, ParleyJson.Options)!.Select(t => t.Detector).Order()];
}
