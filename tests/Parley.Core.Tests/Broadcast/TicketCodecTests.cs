using System.Security.Cryptography;
using Parley.Core.Broadcast;
using Parley.Core.Transfer;

namespace Parley.Core.Tests.Broadcast;

public sealed class TicketCodecTests
{
    // Test vector (docs/broadcast.md): made once with the private key d = c9afa9d8…0f6721 (RFC 6979's
    // P-256 example key) and the dynamic key 00..1f with id 7. ECDSA signatures are randomized, so the
    // vector is "this exact ticket must decode to this payload", which any implementation can check.
    private const string VectorPublicKey = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Z5A/4QCLi8maQa6elWKLxk8vGyDC1+n1F3o8KU1EYimQ==";
    private const string VectorPlain = "UFQBAFp6eMwAAAAAABEiM0RVZneImaq7zN3u_wAAAaHuVl4AAAABoe5a8eAAAAAAAAAAA7p4Fr-PAc_qQUFA3l2uIiOwA2Gjlhd6nLQQ_2HyABWtAAd1X2FsaWNlAAhkX2xhcHRvcAAHcl9sb2JieQAJaW1hZ2UvcG5nOfktMuFZzhlw2pAGZji4PwnbJim63Y-qCDgYmD4Xw3tWNqNuT31sFYffXa20Tzw_kGNT6dlZjVnwGB_Pvwvaww";
    private const string VectorEncrypted = "UFQBAVp6eMwAAAAHMoA1z6DKeIQk5_cGvKEcgrqt-_mQUA5IBMJxW8IYewJJRCvCgUqc3ixQoahtH47F_JWSoWqUeUzpD8YdwZJFq3GwJnI8lJm8Xclvp5Zy6MWcvVXk30t8N-S_DXwAdwXQ7Ab74N-kbADEfc0MueCGYgKGlr0FrSQi2xklutA6IAE1MQSjiE_QFLm-PTui9yIMGHz89qFo-ffDIYI7OEyV2-pC018nFW21OEp7J6pztIC0cYv7WkEJg2crVf14waHLZbqaZRyeKCevPOc";
    private const string VectorPayloadHex = "00112233445566778899aabbccddeeff000001a1ee565e00000001a1ee5af1e00000000000000003ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad0007755f616c6963650008645f6c6170746f700007725f6c6f6262790009696d6167652f706e67";
    private static readonly DynamicKey VectorDynamicKey = new(7, Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"), DateTimeOffset.UnixEpoch);

    private static readonly TicketPayload Payload = new("00112233445566778899aabbccddeeff", "u_alice", "d_laptop", "r_lobby",
        ContentId.Of("abc"u8), 3, "image/png", DateTimeOffset.FromUnixTimeMilliseconds(1795000000000), DateTimeOffset.FromUnixTimeMilliseconds(1795000300000));

    private static ECDsa VectorKey()
    {
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(VectorPublicKey), out _);
        return key;
    }

    [Theory]
    [InlineData(VectorPlain)]
    [InlineData(VectorEncrypted)]
    public void The_vector_tickets_decode_to_the_vector_payload(string ticket)
    {
        using var key = VectorKey();
        var signingId = new TicketSigningKey(VectorKey()).Id;

        var defect = TicketCodec.Decode(ticket, id => id == signingId ? key : null, id => id == 7 ? VectorDynamicKey : null, out var payload);

        Assert.Equal(TicketDefect.None, defect);
        Assert.Equal(Payload, payload);
        Assert.Equal(VectorPayloadHex, Convert.ToHexStringLower(Payload.Encode()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_fresh_ticket_round_trips(bool encrypted)
    {
        using var signer = new TicketSigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var dynamic = new DynamicKey(42, RandomNumberGenerator.GetBytes(32), DateTimeOffset.UnixEpoch);

        var ticket = TicketCodec.Encode(Payload, signer, encrypted ? dynamic : null);

        Assert.Equal(TicketDefect.None, TicketCodec.Decode(ticket, id => id == signer.Id ? signer.Key : null, id => id == 42 ? dynamic : null, out var payload));
        Assert.Equal(Payload, payload);
        Assert.True(TicketCodec.TryReadKeyIds(ticket, out var signingId, out var dynamicId));
        Assert.Equal((signer.Id, encrypted ? 42u : (uint?)null), (signingId, dynamicId));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Changing_any_byte_is_detected(bool encrypted)
    {
        using var signer = new TicketSigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var dynamic = new DynamicKey(42, RandomNumberGenerator.GetBytes(32), DateTimeOffset.UnixEpoch);
        var bytes = FromBase64Url(TicketCodec.Encode(Payload, signer, encrypted ? dynamic : null));

        for (var i = 12; i < bytes.Length; i++)
        {
            var forged = (byte[])bytes.Clone();
            forged[i] ^= 0x01;
            Assert.Equal(TicketDefect.Tampered, TicketCodec.Decode(ToBase64Url(forged), _ => signer.Key, _ => dynamic, out _));
        }
    }

    [Fact]
    public void A_ticket_signed_by_another_key_is_refused()
    {
        using var signer = new TicketSigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        using var impostor = new TicketSigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var ticket = TicketCodec.Encode(Payload, impostor, null);

        Assert.Equal(TicketDefect.UnknownKey, TicketCodec.Decode(ticket, id => id == signer.Id ? signer.Key : null, _ => null, out _));
        // Even naming the real key's id does not help: the signature does not verify.
        Assert.Equal(TicketDefect.Tampered, TicketCodec.Decode(ticket, _ => signer.Key, _ => null, out _));
    }

    [Fact]
    public void An_unknown_dynamic_key_is_reported_as_such()
    {
        using var signer = new TicketSigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var ticket = TicketCodec.Encode(Payload, signer, new DynamicKey(9, RandomNumberGenerator.GetBytes(32), DateTimeOffset.UnixEpoch));

        Assert.Equal(TicketDefect.UnknownKey, TicketCodec.Decode(ticket, _ => signer.Key, _ => null, out _));
        Assert.Equal(TicketDefect.Tampered, TicketCodec.Decode(ticket, _ => signer.Key, id => new DynamicKey(id, new byte[32], DateTimeOffset.UnixEpoch), out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64 !")]
    [InlineData("UFQ")]
    [InlineData("UFQCAAAAAAAAAAAA")]
    [InlineData("QUFBQUFBQUFBQUFBQUFBQQ")]
    public void Garbage_is_tampered(string ticket)
    {
        using var signer = new TicketSigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));

        Assert.Equal(TicketDefect.Tampered, TicketCodec.Decode(ticket, _ => signer.Key, _ => null, out _));
    }

    [Fact]
    public void Oversized_tickets_are_refused_before_any_work()
    {
        Assert.Equal(TicketDefect.Tampered, TicketCodec.Decode(new string('A', 100_000), _ => throw new InvalidOperationException("no lookup"), _ => null, out _));
    }

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64 + new string('=', (4 - base64.Length % 4) % 4));
    }

    private static string ToBase64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
