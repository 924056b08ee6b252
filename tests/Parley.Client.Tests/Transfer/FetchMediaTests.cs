using Parley.Client.Transfer;
using Parley.Core.Problems;
using Parley.Core.Transfer;

namespace Parley.Client.Tests.Transfer;

/// <summary><see cref="ParleyClient.FetchMediaAsync"/>: resuming from a .part, and never keeping bytes that do not match the content id.</summary>
public sealed class FetchMediaTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private readonly TestFiles _files = new();

    [Fact]
    public async Task A_partial_download_resumes_with_a_range_request()
    {
        var (message, content, bob) = await SentToBobAsync(2_000_000);
        var destination = _files.PathOf("resumed.bin");
        await File.WriteAllBytesAsync(destination + ".part", content[..1_000_000]);
        using var wiretap = new Wiretap();
        var client = fixture.NewClient(bob, wiretap);
        var reports = new List<TransferProgress>();

        var fetched = await client.FetchMediaAsync(message, destination, new Collect(reports));

        Assert.Equal("bytes=1000000-", Assert.Single(wiretap.Requests).Range);
        Assert.Equal(new TransferProgress(TransferPhase.Downloading, 1_000_000, content.Length), reports[0]);
        Assert.Equal(new FetchedMedia(ContentId.Of(content).ToString(), content.Length, destination), fetched);
        Assert.Equal(content, await File.ReadAllBytesAsync(destination));
        Assert.False(File.Exists(destination + ".part"));
    }

    [Fact]
    public async Task Bytes_that_do_not_hash_to_the_content_id_are_discarded()
    {
        var (message, content, bob) = await SentToBobAsync(300_000);
        var destination = _files.PathOf("tampered.bin");
        var wrongStart = content[..100_000];
        wrongStart[0] ^= 0xFF;
        await File.WriteAllBytesAsync(destination + ".part", wrongStart);

        await ApiAssert.Refused(206, TransferClientCodes.HashMismatch, () => bob.Client.FetchMediaAsync(message, destination));

        Assert.False(File.Exists(destination));
        Assert.False(File.Exists(destination + ".part"));
        await bob.Client.FetchMediaAsync(message, destination);
        Assert.Equal(content, await File.ReadAllBytesAsync(destination));
    }

    [Fact]
    public async Task Media_by_content_id_and_a_part_longer_than_the_content_are_fetched_afresh()
    {
        var (_, content, bob) = await SentToBobAsync(50_000);
        var destination = _files.PathOf("by-content-id.bin");
        await File.WriteAllBytesAsync(destination + ".part", new byte[60_000]);

        var fetched = await bob.Client.FetchMediaAsync(ContentId.Of(content).ToString(), destination);

        Assert.Equal(content.Length, fetched.Size);
        Assert.Equal(content, await File.ReadAllBytesAsync(destination));
    }

    [Fact]
    public async Task Media_of_a_room_you_are_not_in_is_not_found()
    {
        var (message, _, _) = await SentToBobAsync(1000);
        var mallory = await fixture.NewUserAsync("mallory");

        await ApiAssert.Refused(404, ProblemCodes.MediaNotFound, () => mallory.Client.FetchMediaAsync(message, _files.PathOf("stolen.bin")));

        Assert.False(File.Exists(_files.PathOf("stolen.bin.part")));
    }

    /// <summary>Alice sends bob a new file; returns the message id, the bytes, and bob.</summary>
    private async Task<(string Message, byte[] Content, TestUser Bob)> SentToBobAsync(int length)
    {
        var (alice, bob) = (await fixture.NewUserAsync("alice"), await fixture.NewUserAsync("bob"));
        var (path, content) = _files.Picture(Guid.NewGuid().ToString("N") + ".png", length);
        var sent = await alice.Client.SendFileAsync(path, new SendFileOptions { To = bob.Name });
        return (sent.Message.Id, content, bob);
    }

    public void Dispose() => _files.Dispose();
}
