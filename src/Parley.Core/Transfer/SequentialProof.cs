using System.Security.Cryptography;

namespace Parley.Core.Transfer;

/// <summary>
/// An <see cref="OwnershipChallenge"/>'s answer computed from the content fed in order (<see cref="Append"/>), keeping
/// only the challenged blocks: a server that reads every byte of an upload to verify it gets the proof in that pass.
/// </summary>
public sealed class SequentialProof : IDisposable
{
    private readonly OwnershipChallenge _challenge;
    private readonly IncrementalHash _proof;
    private readonly long[] _blocks;
    private readonly byte[] _block;
    private int _next;
    private long _position;

    internal SequentialProof(OwnershipChallenge challenge)
    {
        _challenge = challenge;
        _proof = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, challenge.Nonce);
        _blocks = challenge.CoversWholeContent ? [] : challenge.ChallengedBlocks();
        _block = challenge.CoversWholeContent ? [] : new byte[challenge.BlockLength];
    }

    /// <summary>The next bytes of the content.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (_challenge.CoversWholeContent)
        {
            _proof.AppendData(bytes);
            _position += bytes.Length;
            return;
        }
        var length = _challenge.BlockLength;
        while (!bytes.IsEmpty && _next < _blocks.Length)
        {
            var index = _blocks[_next];
            var start = index * length;
            if (_position < start)
            {
                var skip = (int)Math.Min(start - _position, bytes.Length);
                bytes = bytes[skip..];
                _position += skip;
                continue;
            }
            var within = (int)(_position - start);
            var blockLength = _challenge.LengthOf(index);
            var take = Math.Min(blockLength - within, bytes.Length);
            bytes[..take].CopyTo(_block.AsSpan(within));
            bytes = bytes[take..];
            _position += take;
            if (within + take < blockLength) continue;
            // The whole block is here: hashed once for every time it was drawn.
            for (; _next < _blocks.Length && _blocks[_next] == index; _next++) _proof.AppendData(_block, 0, blockLength);
        }
        _position += bytes.Length;
    }

    /// <summary>The answer (content that ended early misses blocks, so it matches no honest answer).</summary>
    public byte[] Finish() => _proof.GetHashAndReset();

    public void Dispose() => _proof.Dispose();
}
