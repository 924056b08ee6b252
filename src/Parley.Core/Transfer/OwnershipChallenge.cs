using System.Security.Cryptography;

namespace Parley.Core.Transfer;

/// <summary>
/// Proof of ownership: knowing a content id must not be enough to have the server hand over (or
/// deliver in your name) bytes it already holds. The server names a fresh random nonce; the answer is
/// HMAC-SHA256(key = nonce, message = the whole content). Every byte is covered, so someone missing
/// any part of the content can only guess (2^-256), and SHA-256 length extension is no help: the
/// nonce keys the hash before the first byte. The nonce makes every answer single-use.
/// </summary>
/// <remarks>
/// Spot checks of a few ranges were not enough: someone holding a fraction p of the content passed
/// with probability p^ranges, and ranges picked per manifest entry could be steered away from the
/// bytes an attacker lacked (issue 14, defect 0).
/// </remarks>
public sealed record OwnershipChallenge(byte[] Nonce)
{
    public const int NonceLength = 32;
    public const int ProofLength = 32;

    public static OwnershipChallenge Create() => new(RandomNumberGenerator.GetBytes(NonceLength));

    /// <summary>A keyed hash to feed the content into, in order, when it is read for another reason anyway.</summary>
    public IncrementalHash StartProof() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Nonce);

    /// <summary>Computes the answer over the whole of <paramref name="content"/>, read from its start.</summary>
    public async Task<byte[]> AnswerAsync(Stream content, CancellationToken ct = default)
    {
        using var proof = StartProof();
        if (content.CanSeek) content.Seek(0, SeekOrigin.Begin);
        var buffer = new byte[1024 * 1024];
        int read;
        while ((read = await content.ReadAsync(buffer, ct)) > 0) proof.AppendData(buffer, 0, read);
        return proof.GetHashAndReset();
    }

    /// <summary>Decodes a base64 proof as posted by a client; false when it is not exactly <see cref="ProofLength"/> bytes.</summary>
    public static bool TryDecodeProof(string? base64, out byte[] proof)
    {
        proof = new byte[ProofLength];
        return base64 is not null && Convert.TryFromBase64String(base64, proof, out var written) && written == ProofLength;
    }

    public static bool Matches(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> presented) =>
        expected.Length == ProofLength && CryptographicOperations.FixedTimeEquals(expected, presented);
}
