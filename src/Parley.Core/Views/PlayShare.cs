using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Parley.Core.Views;

/// <summary>
/// One side's ephemeral ECDH P-256 key for one play. Its public half travels as an uncompressed point
/// (0x04 ‖ X ‖ Y, 65 bytes) in base64url; <see cref="DeriveKey"/> turns it and the other side's share into the play key.
/// Used once and disposed: a share reused for a second play is a check failure (<see cref="ViewReasons.KeyReused"/>).
/// </summary>
public sealed class PlayShare : IDisposable
{
    public const int PointLength = 65;

    private readonly ECDiffieHellman _key;

    private PlayShare(ECDiffieHellman key)
    {
        _key = key;
        var q = key.ExportParameters(includePrivateParameters: false).Q;
        var point = new byte[PointLength];
        point[0] = 0x04;
        q.X!.CopyTo(point, 1);
        q.Y!.CopyTo(point, 33);
        Public = Base64Url.EncodeToString(point);
    }

    /// <summary>The public share, base64url of the uncompressed point.</summary>
    public string Public { get; }

    public static PlayShare Create() => new(ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>
    /// A share from a known private scalar (32 bytes, big-endian): for test vectors only (docs/views.md, "Test vector"),
    /// since a share must be fresh and random for every play.
    /// </summary>
    /// <exception cref="CryptographicException">The scalar is not a valid P-256 private key.</exception>
    public static PlayShare FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        var key = ECDiffieHellman.Create();
        try
        {
            // Without Q the platform computes the public point from D.
            key.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = privateKey.ToArray() });
            return new(key);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The play key from the other side's share and the transcript: HKDF-SHA256 with the raw ECDH secret (the shared
    /// point's X, 32 bytes) as input key material, SHA-256 of the transcript's bytes as salt, and
    /// <c>parley-play-key-v1</c> as info, 32 bytes long.
    /// </summary>
    /// <exception cref="CryptographicException">The other share is not a point of P-256.</exception>
    public PlayKey DeriveKey(string otherShare, PlayTranscript transcript)
    {
        if (!TryImportPublic(otherShare, out var other)) throw new CryptographicException("The other share is not an uncompressed P-256 point in base64url.");
        using (other)
        {
            var secret = _key.DeriveRawSecretAgreement(other.PublicKey);
            try
            {
                return PlayKey.Derive(secret, transcript);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(secret);
            }
        }
    }

    /// <summary>Whether <paramref name="share"/> is base64url of an uncompressed point on P-256 (not the point at infinity, not off the curve).</summary>
    public static bool IsValid(string? share)
    {
        if (!TryImportPublic(share, out var key)) return false;
        key.Dispose();
        return true;
    }

    private static bool TryImportPublic(string? share, [NotNullWhen(true)] out ECDiffieHellman? key)
    {
        key = null;
        if (share is null || Base64Url.GetMaxDecodedLength(share.Length) < PointLength) return false;
        Span<byte> point = stackalloc byte[Base64Url.GetMaxDecodedLength(share.Length)];
        if (Base64Url.DecodeFromChars(share, point, out var consumed, out var written) != System.Buffers.OperationStatus.Done
            || consumed != share.Length || written != PointLength || point[0] != 0x04) return false;
        var candidate = ECDiffieHellman.Create();
        try
        {
            // ImportParameters validates that the point lies on the curve.
            candidate.ImportParameters(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = point[1..33].ToArray(), Y = point[33..65].ToArray() },
            });
            key = candidate;
            return true;
        }
        catch (CryptographicException)
        {
            candidate.Dispose();
            return false;
        }
    }

    public void Dispose() => _key.Dispose();
}
