using System.Buffers.Binary;
using System.Text;
using Parley.Core.Passphrase;

namespace Parley.Core.Tests.Passphrase;

public sealed class SecureChannelTests : IDisposable
{
    // Fixed inputs of the known-answer test: Ke = 00..0f, randomA = 20..3f, randomB = 40..5f.
    private static readonly byte[] Ke = [.. Enumerable.Range(0x00, 16).Select(i => (byte)i)];
    private static readonly byte[] RandomA = [.. Enumerable.Range(0x20, 32).Select(i => (byte)i)];
    private static readonly byte[] RandomB = [.. Enumerable.Range(0x40, 32).Select(i => (byte)i)];
    private static readonly byte[] SessionId = "session-1"u8.ToArray();

    private readonly SecureChannel _a = Channel(Spake2Role.A, SessionId);
    private readonly SecureChannel _b = Channel(Spake2Role.B, SessionId);

    private static SecureChannel Channel(Spake2Role role, byte[] sessionId) =>
        new Spake2Key(role, [.. Ke]).CreateChannel(RandomA, RandomB, sessionId);

    public void Dispose()
    {
        _a.Dispose();
        _b.Dispose();
    }

    [Fact]
    public void The_keys_match_an_independent_computation()
    {
        // Computed with pyca/cryptography's HKDF and HKDFExpand over the inputs above.
        var keys = SessionKeys.Derive(Ke, RandomA, RandomB);

        Assert.Equal("8b1208ab1915b0f38472f97e08600c75c59420c2545712b829eb1840a5063e5a", Convert.ToHexStringLower(keys.Second));
        Assert.Equal("279463372098a00cfbf7d20a236651150b474f97b2711f87ed0eac06e73f80ac", Convert.ToHexStringLower(keys.AToB));
        Assert.Equal("f22344845c39aa571b02f6ed757a3c8f3bdaadd40fe46dc103d7d5c7db68a779", Convert.ToHexStringLower(keys.BToA));
    }

    [Fact]
    public void Frames_match_an_independent_computation()
    {
        // Computed with pyca/cryptography's AESGCM: counter || AES-256-GCM(key, 0^4 || counter,
        // plaintext, direction || session id).
        Assert.Equal("00000000000000007545e607afbc030a0a8ff298bc190addc6fd0fe41c", Convert.ToHexStringLower(_a.Seal("hello"u8)));
        Assert.Equal("00000000000000018b532f5e5ff3cf909422a9d778acfc9a", Convert.ToHexStringLower(_a.Seal([])));
        Assert.Equal("0000000000000000ba56bf327945ef0be639b791c9a08962a1ba", Convert.ToHexStringLower(_b.Seal("hi"u8)));
    }

    [Fact]
    public void Messages_go_both_ways()
    {
        for (var i = 0; i < 3; i++)
        {
            var fromA = Encoding.UTF8.GetBytes($"from a {i}");
            var fromB = Encoding.UTF8.GetBytes($"from b {i}");
            Assert.Equal(fromA, _b.Open(_a.Seal(fromA)));
            Assert.Equal(fromB, _a.Open(_b.Seal(fromB)));
        }
        Assert.Empty(_b.Open(_a.Seal([])));
    }

    [Fact]
    public void The_span_overloads_write_into_the_caller_buffers()
    {
        var frame = new byte[64];
        var written = _a.Seal("hello"u8, frame);
        var plaintext = new byte[64];

        var read = _b.Open(frame.AsSpan(0, written), plaintext);

        Assert.Equal(SecureChannel.FrameLength(5), written);
        Assert.Equal("hello"u8.ToArray(), plaintext[..read]);
    }

    [Fact]
    public void A_replayed_frame_is_refused()
    {
        var frame = _a.Seal("once"u8);
        _b.Open(frame);

        Assert.Equal(PassphraseFailure.Replayed, Assert.Throws<PassphraseProtocolException>(() => _b.Open(frame)).Failure);
    }

    [Fact]
    public void Reordered_or_missing_frames_are_refused_and_the_expected_one_still_opens()
    {
        var first = _a.Seal("1"u8);
        var second = _a.Seal("2"u8);
        var third = _a.Seal("3"u8);

        Assert.Equal(PassphraseFailure.OutOfOrder, Assert.Throws<PassphraseProtocolException>(() => _b.Open(second)).Failure);
        Assert.Equal(PassphraseFailure.OutOfOrder, Assert.Throws<PassphraseProtocolException>(() => _b.Open(third)).Failure);
        Assert.Equal("1"u8.ToArray(), _b.Open(first));
        Assert.Equal("2"u8.ToArray(), _b.Open(second));
    }

    [Theory]
    [InlineData(7)]   // the counter
    [InlineData(8)]   // the ciphertext
    [InlineData(-1)]  // the tag
    public void An_altered_byte_is_refused(int position)
    {
        var frame = _a.Seal("hello"u8);
        var altered = (byte[])frame.Clone();
        altered[position < 0 ? altered.Length + position : position] ^= 0x01;

        var refused = Assert.Throws<PassphraseProtocolException>(() => _b.Open(altered));

        // A changed counter is caught by the sequence check before decryption.
        Assert.Equal(position == 7 ? PassphraseFailure.OutOfOrder : PassphraseFailure.Tampered, refused.Failure);
        Assert.Equal("hello"u8.ToArray(), _b.Open(frame));
    }

    [Fact]
    public void A_frame_of_the_other_direction_is_refused()
    {
        var own = _a.Seal("to b"u8);

        Assert.Equal(PassphraseFailure.Tampered, Assert.Throws<PassphraseProtocolException>(() => _a.Open(own)).Failure);
    }

    [Fact]
    public void A_frame_of_another_session_is_refused()
    {
        using var elsewhere = Channel(Spake2Role.A, "session-2"u8.ToArray());

        Assert.Equal(PassphraseFailure.Tampered, Assert.Throws<PassphraseProtocolException>(() => _b.Open(elsewhere.Seal("hi"u8))).Failure);
    }

    [Fact]
    public void Frames_too_short_or_too_large_are_refused()
    {
        using var small = new Spake2Key(Spake2Role.B, [.. Ke]).CreateChannel(RandomA, RandomB, SessionId, maxPlaintextLength: 4);

        Assert.Equal(PassphraseFailure.FrameTooShort,
            Assert.Throws<PassphraseProtocolException>(() => _b.Open(new byte[SecureChannel.Overhead - 1])).Failure);
        Assert.Equal(PassphraseFailure.FrameTooLarge,
            Assert.Throws<PassphraseProtocolException>(() => small.Open(_a.Seal("12345"u8))).Failure);
        Assert.Throws<ArgumentException>(() => small.Seal("12345"u8));
    }

    [Fact]
    public void The_send_counter_never_wraps()
    {
        using var nearlySpent = new SecureChannel(Spake2Role.A, new byte[32], new byte[32], SessionId, 16, firstSendCounter: ulong.MaxValue - 1);

        var last = nearlySpent.Seal("last"u8);

        Assert.Equal(ulong.MaxValue - 1, BinaryPrimitives.ReadUInt64BigEndian(last));
        Assert.Throws<InvalidOperationException>(() => nearlySpent.Seal("one more"u8));
    }

    [Fact]
    public void Randoms_of_the_wrong_length_are_refused() =>
        Assert.Throws<ArgumentException>(() => new Spake2Key(Spake2Role.A, [.. Ke]).CreateChannel(RandomA[..16], RandomB, SessionId));
}
