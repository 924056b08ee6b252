using System.Buffers.Text;
using System.Security.Cryptography;
using Parley.Core.Broadcast;
using Parley.Core.Transfer;

namespace Parley.Core.Tests.Broadcast;

public sealed class TicketCodecTests
{
    // Test vector: read from docs/broadcast.md itself, so the page a client is written from is what is checked.
    // Made once with the private key d = c9afa9d8…0f6721 (RFC 6979's P-256 example key) and the dynamic key
    // 00..1f with id 7. ECDSA signatures are randomized, so the vector is "this exact ticket must decode to
    // this payload", which any implementation can check.
    private static readonly IReadOnlyDictionary<string, string> Vector = DocVector.Read("broadcast.md");
    private static readonly DynamicKey VectorDynamicKey = new(7, Convert.FromHexString(Vector["dynamic key 7 (hex)"]), DateTimeOffset.UnixEpoch);

    private static readonly TicketPayload Payload = new("00112233445566778899aabbccddeeff", "u_alice", "d_laptop", "r_lobby",
        ContentId.Of("abc"u8), 3, "image/png", DateTimeOffset.FromUnixTimeMilliseconds(1795000000000), DateTimeOffset.FromUnixTimeMilliseconds(1795000300000));

    private static ECDsa VectorKey()
    {
        var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(Vector["signing public key (SPKI, base64)"]), out _);
        return key;
    }

    [Theory]
    [InlineData("plain ticket")]
    [InlineData("encrypted ticket")]
    public void The_vector_tickets_in_the_doc_decode_to_the_vector_payload(string which)
    {
        var ticket = Vector[which];
        using var key = VectorKey();
        var signingId = new TicketSigningKey(VectorKey()).Id;

        var defect = TicketCodec.Decode(ticket, id => id == signingId ? key : null, id => id == 7 ? VectorDynamicKey : null, out var payload);

        Assert.Equal(TicketDefect.None, defect);
        Assert.Equal(Payload, payload);
        Assert.Equal(Vector["payload (hex)"], Convert.ToHexStringLower(Payload.Encode()));
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

    /// <summary>
    /// Property: whatever is done to a ticket (truncated, bits flipped, bytes appended or inserted, its text
    /// cut or padded with stray characters), decoding refuses it as documented (tampered or unknown key)
    /// and never throws. Seeded, so a failure names the input that caused it.
    /// </summary>
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void Mangled_tickets_are_refused_never_thrown_on(int seed, bool encrypted)
    {
        using var signer = new TicketSigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var dynamic = new DynamicKey(42, RandomNumberGenerator.GetBytes(32), DateTimeOffset.UnixEpoch);
        var ticket = TicketCodec.Encode(Payload, signer, encrypted ? dynamic : null);
        var bytes = FromBase64Url(ticket);
        var random = new Random(seed);

        for (var round = 0; round < 1500; round++)
        {
            var mangled = Mangle(random, ticket, bytes);
            if (mangled == ticket) continue;
            TicketDefect defect;
            try
            {
                TicketCodec.TryReadKeyIds(mangled, out _, out _);
                defect = TicketCodec.Decode(mangled, id => id == signer.Id ? signer.Key : null, id => id == 42 ? dynamic : null, out _);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"Round {round} (seed {seed}) threw on {mangled}: {e}");
            }
            Assert.True(defect is TicketDefect.Tampered or TicketDefect.UnknownKey, $"Round {round} (seed {seed}) accepted {mangled}");
        }
    }

    private static string Mangle(Random random, string text, byte[] bytes)
    {
        var copy = (byte[])bytes.Clone();
        switch (random.Next(6))
        {
            case 0: return ToBase64Url(copy[..random.Next(copy.Length)]);
            case 1:
                for (var flips = random.Next(1, 4); flips > 0; flips--) copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return ToBase64Url(copy);
            case 2:
                var extra = new byte[random.Next(1, 64)];
                random.NextBytes(extra);
                return ToBase64Url([.. copy, .. extra]);
            case 3:
                var at = random.Next(copy.Length);
                return ToBase64Url([.. copy[..at], (byte)random.Next(256), .. copy[at..]]);
            case 4: return text[..random.Next(text.Length)] + (random.Next(2) == 0 ? "=" : "");
            default:
                var chars = text.ToCharArray();
                const string stray = "!+/=\0 é\u0001-_A";
                chars[random.Next(chars.Length)] = stray[random.Next(stray.Length)];
                return new string(chars);
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Only_the_canonical_spelling_of_a_ticket_is_accepted(bool encrypted)
    {
        using var signer = new TicketSigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        using var dynamic = new DynamicKey(42, RandomNumberGenerator.GetBytes(32), DateTimeOffset.UnixEpoch);
        var ticket = TicketCodec.Encode(Payload, signer, encrypted ? dynamic : null);
        var spellings = new List<string> { ticket + "=", ticket + "==", ticket[..10] + " " + ticket[10..], ticket + "\n", ticket.Replace('-', '+').Replace('_', '/') };
        // The last character of a length that is not a multiple of 4 carries unused low bits: setting one decodes to the same bytes.
        if (ticket.Length % 4 != 0)
        {
            const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
            spellings.Add(ticket[..^1] + alphabet[alphabet.IndexOf(ticket[^1]) | 1]);
        }

        Assert.Equal(TicketDefect.None, TicketCodec.Decode(ticket, _ => signer.Key, _ => dynamic, out _));
        foreach (var spelling in spellings.Where(s => s != ticket))
            Assert.Equal(TicketDefect.Tampered, TicketCodec.Decode(spelling, _ => signer.Key, _ => dynamic, out _));
    }

    [Fact]
    public void A_dynamic_key_owns_its_bytes_and_works_no_more_once_disposed()
    {
        using var signer = new TicketSigningKey(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var bytes = RandomNumberGenerator.GetBytes(DynamicKey.KeyLength);
        var dynamic = new DynamicKey(42, bytes, DateTimeOffset.UnixEpoch);
        var ticket = TicketCodec.Encode(Payload, signer, dynamic);

        // The caller's buffer is the caller's: clearing it leaves the key intact.
        Array.Clear(bytes);
        Assert.Equal(TicketDefect.None, TicketCodec.Decode(ticket, _ => signer.Key, _ => dynamic, out _));

        // A retired (disposed) key opens nothing and seals nothing.
        dynamic.Dispose();
        Assert.Equal(TicketDefect.Tampered, TicketCodec.Decode(ticket, _ => signer.Key, _ => dynamic, out _));
        Assert.Throws<ObjectDisposedException>(() => TicketCodec.Encode(Payload, signer, dynamic));
        Assert.Throws<ArgumentException>(() => new DynamicKey(1, new byte[16], DateTimeOffset.UnixEpoch));
    }

    private static byte[] FromBase64Url(string text) => Base64Url.DecodeFromChars(text);

    private static string ToBase64Url(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
