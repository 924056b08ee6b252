using System.Buffers.Text;
using System.Security.Cryptography;
using Parley.Core.Broadcast;
using Parley.Core.Transfer;

namespace Parley.Bench.Broadcast;

/// <summary>
/// What the broadcast role spends opening one ticket (<see cref="TicketCodec.Decode"/>), plain and
/// sealed, beside a bare HMAC-SHA256 over the same bytes and a bare ECDSA P-256 verification, on one thread.
/// Each rate is the best of <see cref="Rounds"/> interleaved runs of the given budget.
/// </summary>
internal static class TicketVerification
{
    private const int Rounds = 3;

    public sealed record Result(int PlainBytes, int SealedBytes, double Hmac, double Ecdsa, double DecodePlain, double DecodeSealed);

    public static Result Measure(TimeSpan budgetEach)
    {
        using var signer = new TicketSigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        // The broadcast role holds only the public key, as imported from the upload role.
        using var verifier = ECDsa.Create();
        verifier.ImportSubjectPublicKeyInfo(signer.Key.ExportSubjectPublicKeyInfo(), out _);
        var dynamicKey = new DynamicKey(7, RandomNumberGenerator.GetBytes(32), DateTimeOffset.UtcNow);
        var now = DateTimeOffset.UtcNow;
        var payload = new TicketPayload(TicketPayload.NewTicketId(), "u_0123456789abcdef", "d_0123456789abcdef", "r_0123456789abcdef",
            ContentId.Of(RandomNumberGenerator.GetBytes(4096)), 4096, "image/png", now, now.AddMinutes(2));
        var plain = TicketCodec.Encode(payload, signer, null);
        var sealedTicket = TicketCodec.Encode(payload, signer, dynamicKey);
        ECDsa? SigningKeys(uint id) => id == signer.Id ? verifier : null;
        DynamicKey? DynamicKeys(uint id) => id == dynamicKey.Id ? dynamicKey : null;
        if (TicketCodec.Decode(plain, SigningKeys, DynamicKeys, out _) != TicketDefect.None ||
            TicketCodec.Decode(sealedTicket, SigningKeys, DynamicKeys, out _) != TicketDefect.None)
            throw new InvalidOperationException("The benchmark's tickets do not verify.");

        var sealedBytes = Base64Url.DecodeFromChars(sealedTicket);
        var plainBytes = Base64Url.DecodeFromChars(plain);
        var macKey = RandomNumberGenerator.GetBytes(32);
        var mac = new byte[32];
        var signed = plainBytes[..^TicketCodec.SignatureLength];
        var signature = plainBytes[^TicketCodec.SignatureLength..];

        var best = BestOf(budgetEach,
            () => HMACSHA256.HashData(macKey, sealedBytes, mac),
            () => verifier.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            () => TicketCodec.Decode(plain, SigningKeys, DynamicKeys, out _),
            () => TicketCodec.Decode(sealedTicket, SigningKeys, DynamicKeys, out _));
        return new Result(plainBytes.Length, sealedBytes.Length, best[0], best[1], best[2], best[3]);
    }

    /// <summary>The best rate of each operation over a few interleaved rounds: on a shared machine, others' load only ever subtracts.</summary>
    private static double[] BestOf(TimeSpan budgetEach, params Action[] operations)
    {
        var best = new double[operations.Length];
        for (var round = 0; round < Rounds; round++)
            for (var i = 0; i < operations.Length; i++)
                best[i] = Math.Max(best[i], Rate.PerSecond(budgetEach, operations[i]));
        return best;
    }
}
