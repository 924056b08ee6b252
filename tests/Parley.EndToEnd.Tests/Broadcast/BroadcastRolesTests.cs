using System.Text.Json;

namespace Parley.EndToEnd.Tests.Broadcast;

/// <summary>
/// Signed picture broadcast with the upload and broadcast roles as two <c>parley serve</c> processes
/// sharing one data folder, no Redis. Each user knows one address, the upload node's, as a user would:
/// alice's CLI finds the broadcast node through discovery, and bob listens at the upload node, which the
/// broadcast node forwards its live events to.
/// </summary>
public sealed class BroadcastRolesTests : IDisposable
{
    private const string NodeKey = "e2e-broadcast-node-key-0123456789";
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"parley-e2e-data-{Guid.NewGuid():N}");
    private readonly string _pictures = Directory.CreateTempSubdirectory("parley-e2e-pictures-").FullName;
    private readonly List<IDisposable> _cleanup = [];

    [Fact]
    public async Task A_picture_broadcast_through_the_broadcast_node_reaches_a_listener_on_the_upload_node_and_its_ticket_works_once()
    {
        int uploadPort = FreePorts.Next(), broadcastPort = FreePorts.Next();
        var upload = Track(await ServerProcess.StartAsync(uploadPort, _data,
            "--Parley:Role", "Upload", "--Parley:Broadcast:BroadcastUrl", $"http://127.0.0.1:{broadcastPort}/", "--Parley:Nodes:Key", NodeKey));
        Track(await ServerProcess.StartAsync(broadcastPort, _data,
            "--Parley:Role", "Broadcast", "--Parley:Broadcast:UploadUrl", upload.Address.ToString(), "--Parley:Nodes:Key", NodeKey));
        var alice = Track(new CliUser("alice", upload.Address));
        var bob = Track(new CliUser("bob", upload.Address));
        (await alice.RegisterAsync()).Succeeded();
        (await bob.RegisterAsync()).Succeeded();
        var room = (await alice.RunAsync("room", "create", "pictures")).Succeeded().StdOut.Trim();
        (await alice.RunAsync("room", "invite", room, "bob")).Succeeded();
        (await bob.RunAsync("room", "join", room)).Succeeded();
        var saved = Path.Combine(_pictures, "bob-saved");
        var listening = bob.Start("listen", "--room", room, "--json", "--save", saved);
        await listening.WaitForStderrAsync(line => line.StartsWith("Listening", StringComparison.Ordinal));
        var picture = TestPictures.WritePng(Path.Combine(_pictures, "picture.png"));

        var sent = (await alice.RunAsync("broadcast", picture, "--room", room, "--json")).Succeeded().Json();

        Assert.Equal(1, sent.GetProperty("reached").GetInt32());
        var heard = (await listening.WaitForJsonAsync(e => e.GetProperty("type").GetString() == "message")).GetProperty("data");
        Assert.Equal((sent.GetProperty("messageId").GetString(), "alice"), (Text(heard, "id"), Text(heard, "senderName")));
        Assert.Equal("image/png", Text(heard.GetProperty("media"), "mediaType"));
        // listen --save downloads what arrives, verified, into the folder.
        var savedEvent = (await listening.WaitForJsonAsync(e => e.GetProperty("type").GetString() == "saved")).GetProperty("data");
        Assert.Equal(await File.ReadAllBytesAsync(picture), await File.ReadAllBytesAsync(Text(savedEvent, "path")!));
        Assert.StartsWith(saved, Text(savedEvent, "path"));
        // The picture keeps its name: in the message, in the file listen saved, and in history (as a verified broadcast).
        Assert.Equal("picture.png", Text(heard.GetProperty("media"), "fileName"));
        Assert.Equal("picture.png", Path.GetFileName(Text(savedEvent, "path")));
        Assert.StartsWith("alice sent picture.png (", (await bob.RunAsync("history", "--room", room)).Succeeded().StdOut.Split("] ", 2)[1]);
        var listed = (await bob.RunAsync("history", "--room", room, "--json")).Succeeded().Json().GetProperty("media");
        Assert.Equal(("picture.png", true), (Text(listed, "fileName"), listed.GetProperty("broadcast").GetBoolean()));

        // The two halves: the upload node already has the picture, so the ticket comes after a proof instead of an upload.
        var issued = (await alice.RunAsync("ticket", picture, "--room", room, "--json")).Succeeded().Json();
        Assert.Equal("local", Text(issued, "dedup"));
        var ticket = Text(issued, "ticket")!;
        (await alice.RunAsync("broadcast", "--ticket", TestPictures.AlterOneCharacter(ticket), "--room", room, "--json")).FailedWith("ticket.tampered");
        (await alice.RunAsync("broadcast", "--ticket", ticket, "--room", room, "--json")).Succeeded();
        var replayed = (await alice.RunAsync("broadcast", "--ticket", ticket, "--room", room, "--json")).FailedWith("ticket.replayed");
        Assert.Equal(409, replayed.GetProperty("status").GetInt32());
    }

    private static string? Text(JsonElement element, string member) => element.GetProperty(member).GetString();

    private T Track<T>(T disposable) where T : IDisposable
    {
        _cleanup.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        // Processes first (users' listeners, then servers), then the data they held open.
        foreach (var item in Enumerable.Reverse(_cleanup)) item.Dispose();
        try { Directory.Delete(_data, recursive: true); } catch (DirectoryNotFoundException) { }
        Directory.Delete(_pictures, recursive: true);
    }
}
