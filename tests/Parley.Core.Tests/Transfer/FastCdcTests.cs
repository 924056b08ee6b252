using Parley.Core.Transfer;

namespace Parley.Core.Tests.Transfer;

public sealed class FastCdcTests
{
    private static byte[] Deterministic(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    [Fact]
    public async Task The_manifest_covers_the_content_exactly_with_chunks_within_bounds()
    {
        var data = Deterministic(24 * 1024 * 1024, 1);

        var manifest = await ContentScanner.ScanAsync(new MemoryStream(data));

        Assert.Equal(ContentId.Of(data), manifest.Id);
        Assert.Equal(data.Length, manifest.Size);
        long expectedOffset = 0;
        foreach (var chunk in manifest.Chunks)
        {
            Assert.Equal(expectedOffset, chunk.Offset);
            Assert.Equal(ContentId.Of(data.AsSpan((int)chunk.Offset, chunk.Length)), chunk.Id);
            expectedOffset += chunk.Length;
        }
        Assert.Equal(data.Length, expectedOffset);
        Assert.All(manifest.Chunks.SkipLast(1), c => Assert.InRange(c.Length, FastCdc.MinSize, FastCdc.MaxSize));
        // Normalized chunking keeps the mean near the target average.
        Assert.InRange(data.Length / manifest.Chunks.Count, FastCdc.AverageSize / 2, FastCdc.AverageSize * 2);
    }

    /// <summary>
    /// The cut points are part of the wire protocol (client and server must cut alike), so they are
    /// pinned: 12 MiB where block i (32 bytes) = SHA-256("parley-fastcdc-vector" || u32 big-endian i),
    /// reproducible in any language (docs/transfer.md).
    /// </summary>
    [Fact]
    public async Task The_cut_points_match_the_protocol_vector()
    {
        var data = new byte[12 * 1024 * 1024];
        var input = new byte["parley-fastcdc-vector".Length + 4];
        "parley-fastcdc-vector"u8.CopyTo(input);
        for (var i = 0; i < data.Length / 32; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(input.AsSpan(input.Length - 4), (uint)i);
            System.Security.Cryptography.SHA256.HashData(input, data.AsSpan(i * 32, 32));
        }

        var manifest = await ContentScanner.ScanAsync(new MemoryStream(data));

        Assert.Equal([383552, 1135928, 1384468, 1201844, 679611, 1079072, 1559714, 1138852, 720747, 1234465, 996933, 1067726], manifest.Chunks.Select(c => c.Length));
        Assert.Equal("sha256:47417ce21808aca94b9ef2eae94314ee91f87a6dcf524f3b492b2d7ca8740211", manifest.Id.ToString());
    }

    [Fact]
    public async Task Small_content_is_one_chunk()
    {
        var data = Deterministic(1000, 2);

        var manifest = await ContentScanner.ScanAsync(new MemoryStream(data));

        Assert.Equal(manifest.Id, Assert.Single(manifest.Chunks).Id);
    }

    [Fact]
    public async Task Empty_content_has_no_chunks()
    {
        var manifest = await ContentScanner.ScanAsync(new MemoryStream());

        Assert.Empty(manifest.Chunks);
        Assert.Equal(ContentId.Of([]), manifest.Id);
    }

    [Fact]
    public async Task Cut_points_do_not_depend_on_how_the_stream_is_read()
    {
        var data = Deterministic(12 * 1024 * 1024, 3);

        var whole = await ContentScanner.ScanAsync(new MemoryStream(data));
        var trickled = await ContentScanner.ScanAsync(new TrickleStream(data, 7919));

        Assert.Equal(whole.Chunks, trickled.Chunks);
    }

    [Theory]
    [InlineData("overwrite")]
    [InlineData("insert")]
    [InlineData("delete")]
    public async Task A_small_edit_changes_only_the_chunks_around_it(string edit)
    {
        var original = Deterministic(32 * 1024 * 1024, 4);
        var middle = original.Length / 2;
        var edited = edit switch
        {
            "overwrite" => Overwrite(original, middle),
            "insert" => [.. original[..middle], .. "inserted bytes"u8.ToArray(), .. original[middle..]],
            _ => [.. original[..middle], .. original[(middle + 100)..]],
        };

        var before = await ContentScanner.ScanAsync(new MemoryStream(original));
        var after = await ContentScanner.ScanAsync(new MemoryStream(edited));

        var known = before.Chunks.Select(c => c.Id).ToHashSet();
        var changedBytes = after.Chunks.Where(c => !known.Contains(c.Id)).Sum(c => (long)c.Length);
        Assert.InRange(changedBytes, 1, 3 * FastCdc.MaxSize);
    }

    /// <summary>
    /// The unrolled gear loop cuts where docs/transfer.md's words say (a byte-at-a-time reading of them), also when the
    /// content is given in two pieces split anywhere, as the parallel read gives a chunk that runs into the next segment.
    /// </summary>
    [Theory]
    [InlineData(5, 5 * 1024 * 1024)]
    [InlineData(6, 3 * 1024 * 1024 + 11)]
    public void Cuts_are_the_byte_by_byte_definition_in_one_piece_or_two(int seed, int zeros)
    {
        // Random bytes, then a run of zeros (no cut before the maximum), then a short end.
        var data = Deterministic(3 * FastCdc.MaxSize, seed).Concat(new byte[zeros]).Concat(Deterministic(FastCdc.MinSize + 5, seed)).ToArray();
        var gear = Enumerable.Range(0, 256).Select(i => System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(
            System.Security.Cryptography.SHA256.HashData([.. "parley-fastcdc-gear"u8, (byte)i]))).ToArray();
        var lengths = new List<int>();
        for (var start = 0; start < data.Length; start += lengths[^1])
        {
            var rest = data.AsSpan(start);
            var expected = ByteByByte(rest, gear);
            Assert.Equal(expected, FastCdc.NextCut(rest));
            int[] splits = [0, 1, 3, FastCdc.MinSize - 1, FastCdc.MinSize, FastCdc.MinSize + 2, FastCdc.AverageSize + 1, expected - 1, expected, expected + 1, rest.Length - 1];
            foreach (var split in splits)
                if (split >= 0 && split <= rest.Length) Assert.Equal(expected, FastCdc.NextCut(rest[..split], rest[split..]));
            lengths.Add(expected);
        }
        Assert.Contains(FastCdc.MaxSize, lengths);
        Assert.True(lengths.Count > 8, $"{lengths.Count} chunks");
    }

    private static int ByteByByte(ReadOnlySpan<byte> content, ulong[] gear)
    {
        if (content.Length <= FastCdc.MinSize) return content.Length;
        ulong fingerprint = 0;
        for (var i = FastCdc.MinSize; i < Math.Min(content.Length, FastCdc.MaxSize); i++)
        {
            fingerprint = (fingerprint << 1) + gear[content[i]];
            var bits = i < FastCdc.AverageSize ? 22 : 18;
            if (fingerprint >> (64 - bits) == 0) return i;
        }
        return Math.Min(content.Length, FastCdc.MaxSize);
    }

    private static byte[] Overwrite(byte[] original, int at)
    {
        var copy = (byte[])original.Clone();
        copy[at] ^= 0xFF;
        return copy;
    }

    /// <summary>Returns at most <c>step</c> bytes per read, like a slow network.</summary>
    private sealed class TrickleStream(byte[] data, int step) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, step));
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, step)]);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => base.ReadAsync(buffer[..Math.Min(buffer.Length, step)], ct);
    }
}
