using Parley.Client.Passphrase;
using Parley.Client.Scanning;
using Parley.Client.Tests.Scanning;
using Parley.Core.Scanning;
using Parley.Testing.Scanning;

namespace Parley.Client.Tests.Passphrase;

/// <summary>Files sent in a passphrase session: sealed on the sender's device, relayed as ciphertext, opened at the peer.</summary>
public sealed class PassphraseFileTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-talk-files-").FullName;

    [Fact]
    public async Task A_file_arrives_byte_for_byte_and_the_server_never_holds_its_plaintext()
    {
        await using var alice = await TalkParty.JoinAsync(fixture, "alice");
        await using var bob = await TalkParty.JoinAsync(fixture, "bob");
        using var pair = await ConnectedPair.NamedAsync(alice, bob);
        await using var bobsEvents = new SessionEvents(pair.Responder);
        // Several chunks and a short last one (a picture, which the first detection passes), with a passage of its
        // noise in the second chunk to look for on the server.
        var path = Path.Combine(_folder, "plans.png");
        var content = NoisePictures.WritePng(path, 3 * PassphraseFileCipher.ChunkLength + 1234);
        var passage = content.AsSpan(PassphraseFileCipher.ChunkLength + 100, 64).ToArray();

        var sent = await pair.Initiator.SendFileAsync(path);
        var offered = await bobsEvents.NextAsync<PassphraseFileOffered>();
        using var received = new MemoryStream();
        await pair.Responder.ReceiveFileAsync(offered.File, received);

        Assert.Equal(("plans.png", (long)content.Length), (sent.Name, sent.Size));
        Assert.Equal((alice.Name, "plans.png", (long)content.Length, sent.ContentId), (offered.From, offered.File.Name, offered.File.Size, offered.File.ContentId));
        Assert.Equal(content, received.ToArray());
        ServerFiles.AssertNowhere(fixture.Server.DataDirectory, passage, content.AsSpan(0, 4096).ToArray(), content.AsSpan(content.Length - 1000).ToArray());
    }

    [Fact]
    public async Task An_empty_file_arrives_empty_and_later_messages_keep_their_order()
    {
        await using var alice = await TalkParty.JoinAsync(fixture, "alice");
        await using var bob = await TalkParty.JoinAsync(fixture, "bob");
        using var pair = await ConnectedPair.CodeAsync(alice, bob);
        await using var alicesEvents = new SessionEvents(pair.Initiator);
        // The first detection refuses an empty file (no media format): without it, the session itself must carry one.
        bob.Client.Scanning = null;
        var path = Path.Combine(_folder, "empty.txt");
        await File.WriteAllBytesAsync(path, []);

        await pair.Responder.SendFileAsync(path);
        await pair.Responder.SendAsync("that was an empty file");

        var offered = await alicesEvents.NextAsync<PassphraseFileOffered>();
        Assert.Equal("that was an empty file", await alicesEvents.NextTextAsync());
        using var received = new MemoryStream();
        await pair.Initiator.ReceiveFileAsync(offered.File, received);
        Assert.Equal(0, received.Length);
    }

    [Fact]
    public async Task A_malicious_plaintext_is_refused_on_the_device_and_a_clean_one_goes_sealed_without_an_identifier()
    {
        var recorder = new ShareRecorder();
        await using var alice = await TalkParty.JoinAsync(fixture, "alice", recorder);
        await using var bob = await TalkParty.JoinAsync(fixture, "bob");
        using var pair = await ConnectedPair.NamedAsync(alice, bob);
        using var key = DeviceKey.Create();
        alice.Client.Scanning = new ShareScanning(key, new LocalFeatureStore(Path.Combine(_folder, "library.txt")));
        var malicious = Path.Combine(_folder, "invoice.png");
        await File.WriteAllBytesAsync(malicious, [.. MediaSamples.Png(), .. MediaSamples.ElfHeader()]);
        var clean = Path.Combine(_folder, "photo.png");
        await File.WriteAllBytesAsync(clean, MediaSamples.Png(40, 30));

        var refused = await Assert.ThrowsAsync<ShareBlockedException>(() => pair.Initiator.SendFileAsync(malicious));
        Assert.Empty(recorder.AboutContent);
        await pair.Initiator.SendFileAsync(clean);

        Assert.Equal((ScanStage.Local, "invoice.png"), (refused.Stage, refused.FileName));
        Assert.Contains(refused.Findings, f => f.Code == ScanFindingCodes.EmbeddedExecutable);
        // The server only ever sees ciphertext: the announcement says so, and carries no identifier of the plaintext.
        var announced = Assert.Single(recorder.Announcements);
        Assert.Equal((true, null), (announced.Sealed, announced.ScanIdentifier));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
