using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Parley.Core.Transfer;
using Xunit.Abstractions;

namespace Parley.Web.Tests;

/// <summary>Sending files from the page (docs/transfer.md: FastCDC manifests, proofs and tus) and showing them in the timeline.</summary>
public sealed class MediaTests(WebAppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public Task A_picture_appears_live_inline_for_the_other_member() => RunAsync(async () =>
    {
        var (alice, bob) = await TwoMembersAsync("Pictures");
        await bob.MarkNotReloadedAsync();

        await alice.AttachAsync(new FilePayload { Name = "sunset.png", MimeType = "image/png", Buffer = TestFiles.Png(320, 200) });

        await Expect(bob.Pictures).ToHaveJSPropertyAsync("naturalWidth", 320);
        await Expect(bob.Page.GetByTestId("media-name")).ToHaveTextAsync("sunset.png");
        await Expect(alice.Pictures).ToHaveJSPropertyAsync("naturalWidth", 320);
        await Expect(alice.Uploads).ToHaveCountAsync(0);
        await bob.ExpectNotReloadedAsync();

        // Clicked, it opens larger.
        await bob.Pictures.ClickAsync();
        var lightbox = bob.Page.GetByTestId("lightbox");
        await Expect(lightbox.GetByTestId("lightbox-image")).ToHaveJSPropertyAsync("naturalWidth", 320);
        await Expect(lightbox.GetByTestId("lightbox-name")).ToHaveTextAsync("sunset.png");
        await bob.Page.Keyboard.PressAsync("Escape");
        await Expect(lightbox).ToBeHiddenAsync();

        // The picture is drawn from an object URL, which is revoked once the message leaves the page.
        var url = await bob.Pictures.GetAttributeAsync("src");
        Assert.StartsWith("blob:", url);
        Assert.True(await LoadsAsPictureAsync(bob, url!));
        await bob.CreateRoomAsync("Elsewhere");
        Assert.False(await LoadsAsPictureAsync(bob, url!));
    });

    [Fact]
    public Task A_dropped_file_shows_as_a_card_and_downloads_as_the_same_bytes() => RunAsync(async () =>
    {
        var (alice, bob) = await TwoMembersAsync("Files");
        var bytes = RandomNumberGenerator.GetBytes(300_000);

        await DropFileAsync(alice, "field-notes.pdf", "application/pdf", bytes);

        var card = bob.FileCards;
        await Expect(card.GetByTestId("file-name")).ToHaveTextAsync("field-notes.pdf");
        await Expect(card).ToContainTextAsync("application/pdf");
        await Expect(alice.FileCards.GetByTestId("file-name")).ToHaveTextAsync("field-notes.pdf");
        // A browser without showSaveFilePicker gets the fallback: the file gathered in a Blob and saved as a download.
        await bob.Page.EvaluateAsync("() => { window.showSaveFilePicker = undefined; }");
        var download = await bob.Page.RunAndWaitForDownloadAsync(() => card.GetByTestId("file-download").ClickAsync());
        Assert.Equal("field-notes.pdf", download.SuggestedFilename);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(await download.PathAsync()));
    });

    [Fact]
    public Task A_download_streams_into_the_chosen_file_and_shows_its_progress() => RunAsync(async () =>
    {
        var (alice, bob) = await TwoMembersAsync("Footage");
        var bytes = RandomNumberGenerator.GetBytes(12 * MiB);
        await alice.AttachAsync(WriteTempFile("drone-footage.bin", bytes));
        var card = bob.FileCards;
        await Expect(card.GetByTestId("file-name")).ToHaveTextAsync("drone-footage.bin");
        // Downloads limited to 6 MiB/s by Chromium's throttling, so the progress is up for two seconds at least.
        var devTools = await bob.Page.Context.NewCDPSessionAsync(bob.Page);
        await devTools.SendAsync("Network.enable");
        await devTools.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 0, ["downloadThroughput"] = 6 * MiB, ["uploadThroughput"] = -1,
        });
        await AnswerSaveDialogsAsync(bob);
        await bob.Page.EvaluateAsync(
            """
            () => {
              window.statusesSeen = [];
              const status = document.querySelector('[data-testid=messages] [data-testid=download-status]');
              new MutationObserver(() => window.statusesSeen.push(status.textContent)).observe(status, { childList: true, characterData: true, subtree: true });
            }
            """);

        await card.GetByTestId("file-download").ClickAsync();

        await Expect(card.GetByTestId("download-progress")).ToBeVisibleAsync();
        await Expect(card.GetByTestId("download-status")).ToHaveTextAsync("Saved", new() { Timeout = 15_000 });
        await Expect(card.GetByTestId("download-progress")).ToBeHiddenAsync();
        var seen = await bob.Page.EvaluateAsync<string[]>("() => window.statusesSeen");
        Assert.Contains(seen, status => Regex.IsMatch(status, @"^Downloading… ([1-9]|[1-9]\d)% of 13 MB$"));
        await ExpectSavedAsync(bob, "drone-footage.bin", bytes);
        await Expect(bob.Problems).ToHaveCountAsync(0);
    });

    [Fact]
    public Task A_download_cut_short_resumes_from_where_it_broke() => RunAsync(async () =>
    {
        var (alice, bob) = await TwoMembersAsync("Bad line");
        var bytes = RandomNumberGenerator.GetBytes(3 * MiB);
        await alice.AttachAsync(WriteTempFile("minutes.odt", bytes));
        await Expect(bob.FileCards.GetByTestId("file-name")).ToHaveTextAsync("minutes.odt");
        // The first answer ends after 1 MiB (as when the connection drops); the next ones go to the server.
        var requests = new List<IRequest>();
        await bob.Page.RouteAsync("**/api/media/**", async route =>
        {
            requests.Add(route.Request);
            if (requests.Count == 1) await route.FulfillAsync(new() { Status = 200, BodyBytes = bytes[..MiB], ContentType = "application/octet-stream" });
            else await route.ContinueAsync();
        });
        await AnswerSaveDialogsAsync(bob);

        await bob.FileCards.GetByTestId("file-download").ClickAsync();

        await Expect(bob.FileCards.GetByTestId("download-status")).ToHaveTextAsync("Saved");
        Assert.Equal(2, requests.Count);
        Assert.Null(await requests[0].HeaderValueAsync("range"));
        Assert.Equal($"bytes={MiB}-", await requests[1].HeaderValueAsync("range"));
        await ExpectSavedAsync(bob, "minutes.odt", bytes);
        await Expect(bob.Problems).ToHaveCountAsync(0);
    });

    /// <summary>Playwright cannot answer Chromium's real save dialog: this answers it with a file in the origin-private file system.</summary>
    private static Task AnswerSaveDialogsAsync(ParleyPage page) => page.Page.EvaluateAsync(
        """
        () => {
          window.showSaveFilePicker = async ({ suggestedName }) => {
            window.pickedName = suggestedName;
            return (await navigator.storage.getDirectory()).getFileHandle('saved', { create: true });
          };
        }
        """);

    /// <summary>The file the page saved through <see cref="AnswerSaveDialogsAsync"/> was offered under this name and holds these bytes.</summary>
    private static async Task ExpectSavedAsync(ParleyPage page, string name, byte[] bytes)
    {
        var saved = await page.Page.EvaluateAsync<JsonElement>(
            """
            async () => {
              const file = await (await (await navigator.storage.getDirectory()).getFileHandle('saved')).getFile();
              const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
              return { name: window.pickedName, size: file.size, sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('') };
            }
            """);
        Assert.Equal(name, saved.GetProperty("name").GetString());
        Assert.Equal(bytes.Length, saved.GetProperty("size").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), saved.GetProperty("sha256").GetString());
    }

    [Fact]
    public Task Sending_content_the_server_already_has_is_instant_and_uploads_nothing() => RunAsync(async () =>
    {
        var alice = await AliceInANewRoomAsync("Again");
        var picture = new FilePayload { Name = "badge.png", MimeType = "image/png", Buffer = TestFiles.Png(96, 96, seed: 1) };
        await alice.AttachAsync(picture);
        await Expect(alice.Pictures).ToHaveJSPropertyAsync("naturalWidth", 96);
        await Expect(alice.Uploads).ToHaveCountAsync(0);

        var uploadRequests = new List<string>();
        alice.Page.Request += (_, request) =>
        {
            if (IsUploadRequest(request)) uploadRequests.Add($"{request.Method} {request.Url}");
        };
        // Every send proves first; the proof's answer says the server had the content.
        var proved = await alice.Page.RunAndWaitForResponseAsync(() => alice.AttachAsync(picture),
            response => response.Request.Method == "POST" && response.Url.EndsWith("/proof"));
        var transfer = (await proved.JsonAsync())!.Value;
        Assert.Equal("delivered", transfer.GetProperty("state").GetString());
        Assert.Equal("local", transfer.GetProperty("dedup").GetString());

        await Expect(alice.Uploads.GetByTestId("upload-status")).ToHaveTextAsync("Sent instantly (already on the server)");
        await Expect(alice.Pictures).ToHaveCountAsync(2);
        await Expect(alice.Pictures.Last).ToHaveJSPropertyAsync("naturalWidth", 96);
        Assert.Empty(uploadRequests);
    });

    [Fact]
    public Task An_edited_file_uploads_only_the_chunks_around_the_edit() => RunAsync(async () =>
    {
        var alice = await AliceInANewRoomAsync("Drafts");
        var original = RandomNumberGenerator.GetBytes(8 * MiB);
        await alice.AttachAsync(WriteTempFile("thesis.pdf", original));
        await Expect(alice.FileCards).ToHaveCountAsync(1);
        // A few bytes overwritten in the middle: FastCDC cuts the rest of the file as before.
        var edited = original.ToArray();
        RandomNumberGenerator.Fill(edited.AsSpan(4 * MiB, 100));
        var created = new List<IRequest>();
        alice.Page.Request += (_, request) =>
        {
            if (request.Method == "POST" && UploadAddress.IsMatch(request.Url)) created.Add(request);
        };

        // Content id first: the proof's answer is the whole upload, and the manifest given then makes it the missing chunks.
        var proved = await alice.Page.RunAndWaitForResponseAsync(() => alice.AttachAsync(WriteTempFile("thesis.pdf", edited)),
            response => response.Request.Method == "PUT" && response.Url.EndsWith("/manifest"));

        // The server asks for exactly the chunks the .NET client's cut finds new: the page cut alike.
        var before = await ContentScanner.ScanAsync(new MemoryStream(original));
        var after = await ContentScanner.ScanAsync(new MemoryStream(edited));
        var fresh = after.Chunks.Select((chunk, index) => (chunk, index)).Where(c => !before.Chunks.Any(b => b.Id == c.chunk.Id)).ToList();
        var plan = (await proved.JsonAsync())!.Value;
        Assert.Equal(("upload", "partial"), (plan.GetProperty("state").GetString(), plan.GetProperty("dedup").GetString()));
        Assert.Equal(fresh.Select(c => c.index), plan.GetProperty("upload").GetProperty("missingChunks").EnumerateArray().Select(e => e.GetInt32()));
        var length = plan.GetProperty("upload").GetProperty("length").GetInt64();
        Assert.Equal(fresh.Sum(c => (long)c.chunk.Length), length);
        Assert.InRange(length, 1, edited.Length / 2);
        await Expect(alice.FileCards).ToHaveCountAsync(2);
        await Expect(alice.Problems).ToHaveCountAsync(0);
        Assert.Equal(length.ToString(), await Assert.Single(created).HeaderValueAsync("upload-length"));
        await ExpectStoredAsync(alice, edited);
    });

    [Fact]
    public Task A_large_file_shows_its_progress_while_it_uploads() => RunAsync(async () =>
    {
        var alice = await AliceInANewRoomAsync("Big files");
        // Uploads limited to 12 MiB/s by Chromium's own throttling (a route in the driver would carry
        // every body through it, which is slow): the bar is up for two seconds at least, however fast the machine.
        var devTools = await alice.Page.Context.NewCDPSessionAsync(alice.Page);
        await devTools.SendAsync("Network.enable");
        await devTools.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = 12 * MiB,
        });
        await RecordTrayStatusesAsync(alice);

        await alice.AttachAsync(WriteTempFile("recording.bin", RandomNumberGenerator.GetBytes(24 * MiB)));

        await Expect(alice.Uploads.GetByTestId("upload-progress")).ToBeVisibleAsync();
        await Expect(alice.Uploads).ToHaveCountAsync(0);
        await Expect(alice.FileCards.GetByTestId("file-name")).ToHaveTextAsync("recording.bin");
        // The slices are 8 MiB and the end of each is reported; with two seconds of data, so are the rate and time left.
        var seen = await alice.Page.EvaluateAsync<string[]>("() => window.statusesSeen");
        Assert.Contains(seen, status => status.StartsWith("33%", StringComparison.Ordinal));
        Assert.Contains(seen, status => status.StartsWith("66%", StringComparison.Ordinal));
        Assert.Contains(seen, status => Regex.IsMatch(status, @"^\d+% · .+/s · .+ left$"));
    });

    [Fact]
    public Task Cancelling_a_send_deletes_its_upload() => RunAsync(async () =>
    {
        var alice = await AliceInANewRoomAsync("Changed my mind");
        // The first PATCH is held and never let through, so the upload is surely under way when it is cancelled.
        var patching = new TaskCompletionSource();
        await alice.Page.RouteAsync(UploadAddress, async route =>
        {
            if (route.Request.Method == "PATCH") patching.TrySetResult();
            else await route.ContinueAsync();
        });

        var announced = await alice.Page.RunAndWaitForResponseAsync(
            () => alice.AttachAsync(WriteTempFile("draft.bin", RandomNumberGenerator.GetBytes(2 * MiB))), IsTransferCreation);
        var transferId = (await announced.JsonAsync())!.Value.GetProperty("id").GetString();
        await patching.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await Expect(alice.Uploads.GetByTestId("upload-progress")).ToBeVisibleAsync();

        var deleted = await alice.Page.RunAndWaitForResponseAsync(
            () => alice.Uploads.GetByTestId("upload-cancel").ClickAsync(),
            response => response.Request.Method == "DELETE" && UploadAddress.IsMatch(response.Url));
        Assert.Equal(204, deleted.Status);
        await Expect(alice.Uploads).ToHaveCountAsync(0);

        using var http = await SignedInHttpClientAsync(alice);
        var transfer = await http.GetFromJsonAsync<JsonElement>($"/api/transfers/{transferId}");
        Assert.Equal("failed", transfer.GetProperty("state").GetString());
        Assert.Equal("transfer.cancelled", transfer.GetProperty("failure").GetString());
        await Expect(alice.FileCards).ToHaveCountAsync(0);
        await Expect(alice.Problems).ToHaveCountAsync(0);
    });

    [Fact]
    public Task An_interrupted_upload_resumes_from_the_servers_offset() => RunAsync(async () =>
    {
        var alice = await AliceInANewRoomAsync("Flaky network");
        // The first PATCH loses its connection; the page asks the server where the upload stands and goes on.
        var patches = 0;
        await alice.Page.RouteAsync(UploadAddress, async route =>
        {
            if (route.Request.Method == "PATCH" && Interlocked.Increment(ref patches) == 1) await route.AbortAsync("connectionreset");
            else await route.ContinueAsync();
        });
        var sent = new List<IRequest>();
        alice.Page.Request += (_, request) =>
        {
            if (request.Method == "PATCH") sent.Add(request);
        };
        var bytes = RandomNumberGenerator.GetBytes(MiB);

        var asked = await alice.Page.RunAndWaitForResponseAsync(
            () => alice.AttachAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = bytes }),
            response => response.Request.Method == "HEAD" && UploadAddress.IsMatch(response.Url));

        await Expect(alice.FileCards.GetByTestId("file-name")).ToHaveTextAsync("notes.txt");
        await Expect(alice.Problems).ToHaveCountAsync(0);
        Assert.Equal(2, sent.Count);
        Assert.Equal(await asked.HeaderValueAsync("upload-offset"), await sent[1].HeaderValueAsync("upload-offset"));
        await ExpectStoredAsync(alice, bytes);
    });

    [Fact]
    public Task After_a_reload_sending_the_same_file_again_resumes_its_upload() => RunAsync(async () =>
    {
        var alice = await AliceInANewRoomAsync("Long trip");
        // The first 8 MiB slice goes through; the second PATCH is held until the page is reloaded under it.
        var patches = 0;
        var held = new TaskCompletionSource();
        await alice.Page.RouteAsync(UploadAddress, async route =>
        {
            if (route.Request.Method == "PATCH" && Interlocked.Increment(ref patches) == 2) held.TrySetResult();
            else await route.ContinueAsync();
        });
        var bytes = RandomNumberGenerator.GetBytes(12 * MiB);
        var path = WriteTempFile("footage.bin", bytes);
        await alice.AttachAsync(path);
        await held.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await alice.Page.UnrouteAllAsync(new() { Behavior = UnrouteBehavior.IgnoreErrors });

        await alice.Page.ReloadAsync();
        await Expect(alice.RoomTitle).ToHaveTextAsync("Long trip");
        await Expect(alice.Uploads).ToHaveCountAsync(0);
        var sent = new List<IRequest>();
        alice.Page.Request += (_, request) =>
        {
            if (IsUploadRequest(request) || IsTransferCreationRequest(request)) sent.Add(request);
        };
        await alice.AttachAsync(path);

        await Expect(alice.FileCards.GetByTestId("file-name")).ToHaveTextAsync("footage.bin");
        await Expect(alice.Problems).ToHaveCountAsync(0);
        // No new transfer or upload: the page asked where the kept upload stands and sent only the rest.
        Assert.Equal(["HEAD", "PATCH"], sent.Select(request => request.Method));
        Assert.Equal((8 * MiB).ToString(), await sent[1].HeaderValueAsync("upload-offset"));
        await ExpectStoredAsync(alice, bytes);

        // Delivered, the upload is forgotten: sending the file once more is an instant re-send, not a resume.
        await alice.AttachAsync(path);
        await Expect(alice.Uploads.GetByTestId("upload-status")).ToHaveTextAsync("Sent instantly (already on the server)");
        await Expect(alice.FileCards).ToHaveCountAsync(2);
    });

    [Fact]
    public Task A_file_over_the_servers_limit_is_refused_before_it_is_read() => RunAsync(async () =>
    {
        var alice = await AliceInANewRoomAsync("Too big");
        await RecordReadsAsync(alice);
        var announced = 0;
        alice.Page.Request += (_, request) =>
        {
            if (IsTransferCreationRequest(request)) Interlocked.Increment(ref announced);
        };

        // Over the fixture's Parley:Transfer:MaxBlobBytes (the file is sparse: 2 GiB cost no disk).
        var huge = WriteTempFile("disk-image.iso", []);
        using (var file = File.OpenWrite(huge)) file.SetLength(2048L * MiB);
        await alice.AttachAsync(huge);

        await Expect(alice.ProblemDetails).ToHaveTextAsync([new Regex(@"^disk-image\.iso is 2\.1 GB; this server takes media up to 26 MB\.$")]);
        await Expect(alice.Uploads).ToHaveCountAsync(0);
        await Expect(alice.FileCards).ToHaveCountAsync(0);
        Assert.Equal(0, announced);
        Assert.Equal(0, await LargestReadAsync(alice));
    });

    [Fact]
    public Task A_file_of_exactly_the_servers_limit_is_sent_read_a_slice_at_a_time() => RunAsync(async () =>
    {
        var alice = await AliceInANewRoomAsync("Just fits");
        await RecordReadsAsync(alice);
        await RecordTrayStatusesAsync(alice);
        var bytes = RandomNumberGenerator.GetBytes((int)WebAppFixture.MaxBlobBytes);

        await alice.AttachAsync(WriteTempFile("backup.tar", bytes));

        await Expect(alice.FileCards.GetByTestId("file-name")).ToHaveTextAsync("backup.tar");
        await Expect(alice.Problems).ToHaveCountAsync(0);
        // Never the whole file in memory: hashing reads at most two maximum chunks (8 MiB) at a time.
        Assert.InRange(await LargestReadAsync(alice), 1, 8 * MiB);
        // While it reads, the tray says how far it got.
        var seen = await alice.Page.EvaluateAsync<string[]>("() => window.statusesSeen");
        Assert.Contains(seen, status => Regex.IsMatch(status, @"^Reading the file… [1-9]\d?%$"));
        await ExpectStoredAsync(alice, bytes);
    });

    /// <summary>Records every status the tray shows, to check the progress it reported on the way (read with <c>window.statusesSeen</c>).</summary>
    private static Task RecordTrayStatusesAsync(ParleyPage page) => page.Page.GetByTestId("uploads").EvaluateAsync(
        """
        (tray) => {
          window.statusesSeen = [];
          const record = () => window.statusesSeen.push(tray.querySelector('[data-testid=upload-status]')?.textContent ?? '');
          new MutationObserver(record).observe(tray, { childList: true, characterData: true, subtree: true });
        }
        """);

    /// <summary>Records, in the page, the size of every Blob (a file or a slice of one) read into memory.</summary>
    private static Task RecordReadsAsync(ParleyPage page) => page.Page.EvaluateAsync(
        """
        () => {
          window.largestRead = 0;
          const read = Blob.prototype.arrayBuffer;
          Blob.prototype.arrayBuffer = function () {
            window.largestRead = Math.max(window.largestRead, this.size);
            return read.call(this);
          };
        }
        """);

    private static Task<long> LargestReadAsync(ParleyPage page) => page.Page.EvaluateAsync<long>("() => window.largestRead");

    /// <summary>Alice, signed in, in a new group room of hers that she has open.</summary>
    private async Task<ParleyPage> AliceInANewRoomAsync(string roomName)
    {
        var alice = await OpenAsync("alice");
        await alice.RegisterAsync(UniqueName("alice"));
        await alice.CreateRoomAsync(roomName);
        return alice;
    }

    /// <summary>The server holds exactly these bytes as media (asked by content id, as a member who can read it).</summary>
    private async Task ExpectStoredAsync(ParleyPage page, byte[] bytes)
    {
        using var http = await SignedInHttpClientAsync(page);
        Assert.Equal(bytes, await http.GetByteArrayAsync($"/api/media/sha256:{Convert.ToHexStringLower(SHA256.HashData(bytes))}"));
    }

    /// <summary>tus uploads: their creation, and each upload's address.</summary>
    private static readonly Regex UploadAddress = new(@"/api/uploads(/|$)");

    /// <summary>A request that creates, reads or writes an upload (OPTIONS only asks the server's limit).</summary>
    private static bool IsUploadRequest(IRequest request) => request.Method != "OPTIONS" && UploadAddress.IsMatch(request.Url);

    private static bool IsTransferCreation(IResponse response) => IsTransferCreationRequest(response.Request);

    private static bool IsTransferCreationRequest(IRequest request) =>
        request.Method == "POST" && new Uri(request.Url).AbsolutePath == "/api/transfers";

    /// <summary>Drags a file over the open room (the drop target appears) and drops it.</summary>
    private static async Task DropFileAsync(ParleyPage page, string name, string mediaType, byte[] bytes)
    {
        var dataTransfer = await page.Page.EvaluateHandleAsync(
            """
            ([name, type, base64]) => {
              const transfer = new DataTransfer();
              transfer.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name, { type }));
              return transfer;
            }
            """,
            new[] { name, mediaType, Convert.ToBase64String(bytes) });
        var target = page.Page.GetByTestId("messages");
        var dropZone = page.Page.GetByTestId("drop-zone");
        await target.DispatchEventAsync("dragenter", new { dataTransfer });
        await Expect(dropZone).ToBeVisibleAsync();
        await target.DispatchEventAsync("drop", new { dataTransfer });
        await Expect(dropZone).ToBeHiddenAsync();
    }

    /// <summary>Whether the page can still draw a picture from this URL.</summary>
    private static Task<bool> LoadsAsPictureAsync(ParleyPage page, string url) =>
        page.Page.EvaluateAsync<bool>(
            "(url) => new Promise((resolve) => { const image = new Image(); image.onload = () => resolve(true); image.onerror = () => resolve(false); image.src = url; })",
            url);

    /// <summary>Alice and Bob, both signed in and members of a new group room that both have open.</summary>
}
