using System.Buffers.Binary;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;
using Org.BouncyCastle.Utilities;

namespace Parley.Core.Passphrase;

/// <summary>
/// The ciphersuite SPAKE2-P256-SHA256-HKDF-HMAC of RFC 9382 §6: the P-256 group (cofactor 1, so the
/// RFC's h is 1 and drops out), its fixed points M and N, and the length-prefixed encoding the
/// transcript and the scrypt salt share.
/// </summary>
internal static class Spake2Suite
{
    /// <summary>Length of a scalar (x, y, w) in bytes: the size of the P-256 group order.</summary>
    public const int ScalarLength = 32;

    /// <summary>Length of a SEC1 uncompressed point: 0x04 || X || Y.</summary>
    public const int PointLength = 65;

    private const byte UncompressedPointTag = 0x04;

    public static readonly X9ECParameters Curve = CustomNamedCurves.GetByName("P-256");

    /// <summary>The order of the group, called p in RFC 9382.</summary>
    public static BigInteger Order => Curve.N;

    /// <summary>M and N as printed in RFC 9382 §6 for P-256 (SEC1 compressed).</summary>
    public static readonly ECPoint M = Curve.Curve.DecodePoint(Convert.FromHexString("02886e2f97ace46e55ba9dd7242579f2993b64e16ef3dcab95afd497333d8fa12f"));

    public static readonly ECPoint N = Curve.Curve.DecodePoint(Convert.FromHexString("03d8bbd6c639c62937b04d997f38c3770719c629d7014d49a24b4f98baa1292b49"));

    // The comb multiplier BouncyCastle's own key generator uses: a fixed sequence of doublings and
    // table additions per scalar, so the secret scalars (x, y, w) do not steer the work done.
    private static readonly ECMultiplier Multiplier = new FixedPointCombMultiplier();

    public static ECPoint Multiply(ECPoint point, BigInteger scalar) => Multiplier.Multiply(point, scalar);

    public static byte[] EncodeScalar(BigInteger scalar) => BigIntegers.AsUnsignedByteArray(ScalarLength, scalar);

    public static BigInteger DecodeScalar(ReadOnlySpan<byte> bigEndian) => new(1, bigEndian.ToArray());

    /// <summary>Whether 32 big-endian bytes are a scalar in [1, order - 1], the range of x, y and a usable w.</summary>
    public static bool IsNonZeroScalar(ReadOnlySpan<byte> bigEndian)
    {
        var value = DecodeScalar(bigEndian);
        return value.SignValue != 0 && value.CompareTo(Order) < 0;
    }

    public static byte[] EncodePoint(ECPoint point) => point.Normalize().GetEncoded(compressed: false);

    /// <summary>
    /// Accepts only a SEC1 uncompressed point that lies on P-256 and is not the identity; anything
    /// else (wrong length, compressed or infinity encodings, coordinates out of range or off the
    /// curve) is refused here, before any secret is combined with it.
    /// </summary>
    public static ECPoint DecodeShare(ReadOnlySpan<byte> share)
    {
        if (share.Length != PointLength || share[0] != UncompressedPointTag)
        {
            throw new PassphraseProtocolException(PassphraseFailure.MalformedShare,
                $"A SPAKE2 share must be a {PointLength}-byte SEC1 uncompressed P-256 point.");
        }
        ECPoint point;
        try
        {
            point = Curve.Curve.DecodePoint(share.ToArray());
        }
        catch (ArgumentException)
        {
            throw new PassphraseProtocolException(PassphraseFailure.MalformedShare, "The SPAKE2 share is not a point on P-256.");
        }
        if (point.IsInfinity || !point.IsValid())
        {
            throw new PassphraseProtocolException(PassphraseFailure.MalformedShare, "The SPAKE2 share is not a valid P-256 group element.");
        }
        return point;
    }

    private const int FieldPrefixLength = 8;

    /// <summary>How many bytes <see cref="WriteField"/> writes for a field of <paramref name="length"/> bytes.</summary>
    public static int FieldLength(int length) => FieldPrefixLength + length;

    /// <summary>
    /// Writes len(field) as 8 bytes little-endian, then the field: RFC 9382 §3.3's encoding. Into a span the caller
    /// sized, so a transcript holding w can be built in memory that is cleared afterwards. Returns the bytes written.
    /// </summary>
    public static int WriteField(Span<byte> into, ReadOnlySpan<byte> field)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(into, (ulong)field.Length);
        field.CopyTo(into[FieldPrefixLength..]);
        return FieldLength(field.Length);
    }
}
