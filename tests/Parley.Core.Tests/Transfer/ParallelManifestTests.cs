using Parley.Core.Transfer;

namespace Parley.Core.Tests.Transfer;

/// <summary>The manifest on two cores (<see cref="ParallelRead"/>) gives exactly the one-thread manifest, whatever the sizes and reads.</summary>
public sealed class ParallelManifestTests
{
    /// <summary>Small segments, so that a few MiB cross many segment boundaries; never the one-thread shortcut.</summary>
    internal static readonly ParallelReadOptions Tight = new() { SegmentSize = FastCdc.MaxSize, MaxSegments = 2, Workers = 2, SequentialBelow = 0 };

    public static TheoryData<int> Sizes => new()
    {
        0, 1, FastCdc.MinSize, FastCdc.MinSize + 1, FastCdc.AverageSize, FastCdc.MaxSize - 1, FastCdc.MaxSize, FastCdc.MaxSize + 1,
        2 * FastCdc.MaxSize, 3 * FastCdc.MaxSize + FastCdc.MinSize - 7, 23 * 1024 * 1024 + 12345,
    };

    private static byte[] Random(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    private static Task<ContentManifest> OneThread(byte[] data) => ContentScanner.ScanAsync(new MemoryStream(data), null, null, default);

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task Random_content_of_edge_sizes_gets_the_one_thread_manifest(int size)
    {
        var data = Random(size, size);

        var parallel = await ContentScanner.ScanInParallelAsync(new MemoryStream(data), null, default, Tight);

        var expected = await OneThread(data);
        Assert.Equal(expected.Id, parallel.Id);
        Assert.Equal(ContentId.Of(data), parallel.Id);
        Assert.Equal(expected.Size, parallel.Size);
        Assert.Equal(expected.Chunks, parallel.Chunks);
    }

    [Fact]
    public async Task Chunks_cut_at_the_maximum_size_end_exactly_on_segment_boundaries()
    {
        // Zeros never meet the cut condition: every chunk is MaxSize long, as long as a segment.
        var data = new byte[5 * FastCdc.MaxSize + 3];

        var parallel = await ContentScanner.ScanInParallelAsync(new MemoryStream(data), null, default, Tight with { MaxSegments = 3 });

        Assert.Equal((await OneThread(data)).Chunks, parallel.Chunks);
        Assert.Equal([FastCdc.MaxSize, FastCdc.MaxSize, FastCdc.MaxSize, FastCdc.MaxSize, FastCdc.MaxSize, 3], parallel.Chunks.Select(c => c.Length));
    }

    [Fact]
    public async Task Odd_read_sizes_and_default_options_give_the_same_manifest()
    {
        var data = Random(30 * 1024 * 1024 + 77, 3);

        var odd = await ContentScanner.ScanInParallelAsync(new OddReads(data), null, default, Tight with { MaxSegments = 4 });
        var defaults = await ContentScanner.ScanAsync(new MemoryStream(data));

        var expected = await OneThread(data);
        Assert.Equal(expected.Chunks, odd.Chunks);
        Assert.Equal(expected.Chunks, defaults.Chunks);
        Assert.Equal(expected.Id, defaults.Id);
    }

    [Fact]
    public async Task Progress_reaches_the_size()
    {
        var data = Random(9 * 1024 * 1024, 4);
        var seen = new List<long>();

        await ContentScanner.ScanInParallelAsync(new MemoryStream(data), new SynchronousProgress(seen), default, Tight);

        Assert.Equal(data.Length, seen.Max());
        Assert.Equal(seen.Order(), seen);
    }

    [Fact]
    public async Task A_failing_read_fails_the_scan_instead_of_hanging()
    {
        var data = Random(20 * 1024 * 1024, 5);

        var error = await Assert.ThrowsAsync<IOException>(() => ContentScanner.ScanInParallelAsync(new OddReads(data, failAt: 9 * 1024 * 1024), null, default, Tight));

        Assert.Equal("disk gone", error.Message);
    }

    [Fact]
    public async Task A_cancelled_scan_stops()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ContentScanner.ScanInParallelAsync(new MemoryStream(Random(12 * 1024 * 1024, 6)), null, cancel.Token, Tight));
    }

    private sealed class SynchronousProgress(List<long> seen) : IProgress<long>
    {
        public void Report(long value)
        {
            lock (seen) seen.Add(value);
        }
    }
}

/// <summary>Reads of odd, varying lengths (as a pipe or a network file system gives them); optionally an I/O error at an offset.</summary>
internal sealed class OddReads(byte[] data, long failAt = long.MaxValue) : MemoryStream(data)
{
    private int _next = 1;

    // Stream.Read(Span) of a MemoryStream subclass comes here too.
    public override int Read(byte[] buffer, int offset, int count)
    {
        if (Position >= failAt) throw new IOException("disk gone");
        _next = _next * 7 % 100_003;
        return base.Read(buffer, offset, Math.Min(count, _next | 1));
    }
}
