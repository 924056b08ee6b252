using System.Security.Cryptography;
using Parley.Client.Scanning;
using Parley.Client.Transfer;
using Parley.Core.Transfer;

namespace Parley.Client.Tests.Transfer;

/// <summary>
/// Content id first (docs/transfer.md): a send reads the file once to name it; a re-send of content the server has then
/// reads only the challenged blocks, and the chunk manifest is cut only for content whose bytes must travel.
/// </summary>
public sealed class ContentIdFirstTests(ServerFixture fixture) : IClassFixture<ServerFixture>, IDisposable
{
    private const int MiB = 1024 * 1024;
    private readonly TestFiles _files = new();

    [Fact]
    public async Task A_resend_reads_the_file_once_and_cuts_no_manifest()
    {
        var (alice, bob) = (await fixture.NewUserAsync("alice"), await fixture.NewUserAsync("bob"));
        // An attachment: its first detection reads it once (a picture's structural checks would read it once more).
        var (path, content) = _files.Write("backup.bin", RandomNumberGenerator.GetBytes(40 * MiB));
        var (first, second) = (new List<TransferProgress>(), new List<TransferProgress>());
        ObservedReadStream? firstReads = null, secondReads = null;

        var sent = await new FileSender(alice.Client, new SendFileOptions { To = bob.Name, Progress = new Collect(first) })
        {
            ReadThrough = file => firstReads = new ObservedReadStream(file),
        }.SendAsync(path, default);
        var again = await new FileSender(bob.Client, new SendFileOptions { To = alice.Name, Progress = new Collect(second) })
        {
            ReadThrough = file => secondReads = new ObservedReadStream(file),
        }.SendAsync(path, default);

        // What the first detection reads by itself (engineer i13-content's pass), measured alone.
        var scanning = bob.Client.Scanning!;
        var scanner = new LocalScanner(await scanning.Library.SyncAsync(bob.Client, default), scanning.Limits, scanning.Time);
        await using var alone = new ObservedReadStream(File.OpenRead(path));
        await scanner.ScanAsync(alone, "backup.bin");
        var detection = alone.BytesRead;
        var proofBytes = (long)OwnershipChallenge.DefaultBlocks * OwnershipChallenge.DefaultBlockLength;

        Assert.Equal((DedupTier.None, DedupTier.Local, 0L), (sent.Dedup, again.Dedup, again.BytesUploaded));
        // New content: named, then cut because the server asked for its bytes (one more read), then uploaded.
        Assert.Equal([TransferPhase.Hashing, TransferPhase.Chunking, TransferPhase.Uploading], first.Select(r => r.Phase).Distinct());
        Assert.InRange(firstReads!.BytesRead - detection, content.Length + 1, content.Length + proofBytes);
        // A hit: named in the first detection's read, then only the challenged blocks; no manifest, no other read.
        Assert.Equal([TransferPhase.Hashing], second.Select(r => r.Phase).Distinct());
        Assert.InRange(secondReads!.BytesRead - detection, 1, proofBytes);
        Assert.Equal(content.Length, second.Last().Done);
    }

    public void Dispose() => _files.Dispose();
}
