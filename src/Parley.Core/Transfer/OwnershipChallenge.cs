using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Core.Transfer;

/// <summary>
/// Proof of ownership (docs/transfer.md, "Proof of ownership"): knowing a content id must not be enough to have the
/// server hand over (or deliver in your name) bytes it already holds. The server names a fresh random nonce; the
/// content of <see cref="Size"/> bytes is seen as blocks of <see cref="BlockLength"/> bytes (the last one shorter), and
/// the answer is HMAC-SHA256(key = nonce, message = the challenged blocks' bytes, in ascending block order).
/// </summary>
/// <remarks>
/// Content of at most <see cref="Blocks"/> blocks is challenged whole: every block once, in order, which is the whole
/// content. Larger content is challenged on <see cref="Blocks"/> blocks drawn uniformly and independently from the
/// nonce (<see cref="ChallengedBlocks"/>): someone missing any bytes of a fraction m of the blocks passes with
/// probability at most (1 − m)^Blocks (2^-59 for m = 1 % with 4,096 blocks), and the nonce, drawn by the server after
/// the content id was announced, gives an attacker no way to steer the draw (issue 14, defect 0 was ranges picked per
/// manifest entry). The nonce keys the HMAC before the first byte, so length extension does not help, and it makes
/// every answer single-use.
/// </remarks>
public sealed record OwnershipChallenge(byte[] Nonce, long Size, int BlockLength = OwnershipChallenge.DefaultBlockLength, int Blocks = OwnershipChallenge.DefaultBlocks)
{
    public const int NonceLength = 32;
    public const int ProofLength = 32;
    public const int DefaultBlockLength = 4096;
    public const int DefaultBlocks = 4096;
    public const int MaxBlockLength = 1024 * 1024;
    public const int MaxBlocks = 65_536;

    private static readonly byte[] DrawLabel = Encoding.ASCII.GetBytes("parley-proof-block");

    public static OwnershipChallenge Create(long size) => new(RandomNumberGenerator.GetBytes(NonceLength), size);

    /// <summary>The challenge a <see cref="ChallengeDto"/> names for content of <paramref name="size"/> bytes; null when it is malformed.</summary>
    public static OwnershipChallenge? FromDto(ChallengeDto? dto, long size)
    {
        var nonce = new byte[NonceLength];
        if (dto?.Nonce is not { } encoded || !Convert.TryFromBase64String(encoded, nonce, out var written) || written != NonceLength) return null;
        if (dto.BlockLength is < 1 or > MaxBlockLength || dto.Blocks is < 1 or > MaxBlocks || size < 0) return null;
        return new OwnershipChallenge(nonce, size, dto.BlockLength, dto.Blocks);
    }

    public ChallengeDto ToDto() => new(Convert.ToBase64String(Nonce), BlockLength, Blocks);

    /// <summary>How many blocks the content has: ⌈size / block length⌉.</summary>
    public long BlockCount => (Size + BlockLength - 1) / BlockLength;

    /// <summary>True when every block is challenged: the proof covers every byte of the content.</summary>
    public bool CoversWholeContent => BlockCount <= Blocks;

    /// <summary>
    /// The challenged blocks, ascending (a block drawn twice is listed twice). Drawn block i (0 ≤ i &lt; Blocks) is the
    /// first 8 bytes of SHA-256("parley-proof-block" ‖ nonce ‖ u32 big-endian i), big-endian, modulo the block count.
    /// </summary>
    public long[] ChallengedBlocks()
    {
        if (CoversWholeContent) return [.. Enumerable.Range(0, (int)BlockCount).Select(i => (long)i)];
        var input = new byte[DrawLabel.Length + NonceLength + 4];
        DrawLabel.CopyTo(input, 0);
        Nonce.CopyTo(input, DrawLabel.Length);
        Span<byte> digest = stackalloc byte[32];
        var blocks = new long[Blocks];
        for (var i = 0; i < Blocks; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(input.AsSpan(DrawLabel.Length + NonceLength), (uint)i);
            SHA256.HashData(input, digest);
            blocks[i] = (long)(BinaryPrimitives.ReadUInt64BigEndian(digest) % (ulong)BlockCount);
        }
        Array.Sort(blocks);
        return blocks;
    }

    /// <summary>How many bytes block <paramref name="index"/> has: the block length, or less for the last one.</summary>
    public int LengthOf(long index) => (int)Math.Min(BlockLength, Size - index * BlockLength);

    /// <summary>Bytes the proof reads: what a holder (or the server, from its copy) reads to answer.</summary>
    public long ChallengedBytes => CoversWholeContent ? Size : ChallengedBlocks().Sum(LengthOf);

    /// <summary>
    /// Computes the answer from <paramref name="content"/> (seekable, the content from offset 0), reading only the
    /// challenged blocks.
    /// </summary>
    /// <remarks>
    /// The challenged blocks (up to <see cref="Blocks"/> reads of <see cref="BlockLength"/> bytes) are read synchronously,
    /// a file's with positioned reads on its one handle (no seek), about 1 MiB of blocks at a time on a pool thread while
    /// the caller hashes the previous ones: for 4 KiB from the page cache the thread hop of an asynchronous read cost
    /// more than the read, and reading beside the HMAC hides the reads. On Linux an asynchronous file read is this same
    /// read on a pool thread, so a cold disk blocks no more threads than before. The stream is used by one thread at a time.
    /// </remarks>
    /// <exception cref="EndOfStreamException">The content is shorter than <see cref="Size"/>.</exception>
    public async Task<byte[]> AnswerAsync(Stream content, CancellationToken ct = default)
    {
        using var proof = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Nonce);
        if (!CoversWholeContent) return await AnswerFromBlocksAsync(content, proof, ct);
        content.Seek(0, SeekOrigin.Begin);
        var buffer = new byte[(int)Math.Min(Size, 1024 * 1024)];
        for (long left = Size; left > 0;)
        {
            var part = buffer.AsMemory(0, (int)Math.Min(left, buffer.Length));
            await content.ReadExactlyAsync(part, ct);
            proof.AppendData(part.Span);
            left -= part.Length;
        }
        return proof.GetHashAndReset();
    }

    private async Task<byte[]> AnswerFromBlocksAsync(Stream content, IncrementalHash proof, CancellationToken ct)
    {
        var blocks = ChallengedBlocks();
        var perBatch = Math.Max(1, 1024 * 1024 / BlockLength);
        var batches = (blocks.Length + perBatch - 1) / perBatch;
        byte[][] buffers = [ArrayPool<byte>.Shared.Rent(perBatch * BlockLength), ArrayPool<byte>.Shared.Rent(perBatch * BlockLength)];
        // Batch b is read into buffers[b % 2] while batch b - 1 is hashed from the other one.
        Task ReadBatch(int batch) => Task.Run(() =>
        {
            for (var k = 0; k < perBatch && batch * perBatch + k < blocks.Length; k++)
            {
                ct.ThrowIfCancellationRequested();
                var index = blocks[batch * perBatch + k];
                ReadBlock(content, buffers[batch % 2].AsSpan(k * BlockLength, LengthOf(index)), index * BlockLength);
            }
        }, ct);
        var reading = ReadBatch(0);
        try
        {
            for (var batch = 0; batch < batches; batch++)
            {
                await reading;
                if (batch + 1 < batches) reading = ReadBatch(batch + 1);
                for (var k = 0; k < perBatch && batch * perBatch + k < blocks.Length; k++)
                    proof.AppendData(buffers[batch % 2], k * BlockLength, LengthOf(blocks[batch * perBatch + k]));
            }
            return proof.GetHashAndReset();
        }
        finally
        {
            // A read still running must not write into a buffer that is back in the pool.
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            foreach (var buffer in buffers) ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ReadBlock(Stream content, Span<byte> block, long offset)
    {
        if (content is FileStream { CanSeek: true } file)
        {
            for (var done = 0; done < block.Length;)
            {
                var read = RandomAccess.Read(file.SafeFileHandle, block[done..], offset + done);
                if (read == 0) throw new EndOfStreamException();
                done += read;
            }
            return;
        }
        content.Seek(offset, SeekOrigin.Begin);
        content.ReadExactly(block);
    }

    /// <summary>The same answer from the content fed in order, from its first byte, e.g. by a pass that verifies it anyway.</summary>
    public SequentialProof StartSequential() => new(this);

    /// <summary>Decodes a base64 proof as posted by a client; false when it is not exactly <see cref="ProofLength"/> bytes.</summary>
    public static bool TryDecodeProof(string? base64, out byte[] proof)
    {
        proof = new byte[ProofLength];
        return base64 is not null && Convert.TryFromBase64String(base64, proof, out var written) && written == ProofLength;
    }

    public static bool Matches(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> presented) =>
        expected.Length == ProofLength && CryptographicOperations.FixedTimeEquals(expected, presented);
}
