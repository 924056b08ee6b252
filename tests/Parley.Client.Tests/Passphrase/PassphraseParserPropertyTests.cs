using System.Text;
using System.Text.Json;
using Parley.Client.Passphrase;
using Parley.Core.Passphrase;
using Parley.Testing;

namespace Parley.Client.Tests.Passphrase;

/// <summary>
/// Seeded, bounded property tests of what the client parses from the relay: shares, confirmations
/// and randoms (base64), frames (the channel) and the JSON inside them. Any input is either read as
/// documented or refused with the documented exception, never another one.
/// </summary>
public sealed class PassphraseParserPropertyTests
{
    private const int Cases = 2000;

    [Fact]
    public void Any_relayed_value_decodes_to_its_bytes_or_is_refused_as_malformed()
    {
        var random = new Random(1410);
        foreach (var length in new[] { Spake2.ShareLength, Spake2Confirmation.ConfirmationLength, SessionKeys.RandomLength })
        {
            for (var i = 0; i < Cases; i++)
            {
                var value = Base64Fuzz.Around(random, length);
                if (Base64Fuzz.TryDecode(value, out var expected) && expected.Length == length)
                {
                    Assert.Equal(expected, HandshakeSteps.Decode(value, length));
                    continue;
                }
                var refused = Assert.Throws<PassphraseProtocolException>(() => HandshakeSteps.Decode(value, length));
                Assert.Equal(PassphraseFailure.MalformedShare, refused.Failure);
            }
        }
    }

    [Fact]
    public void Any_frame_opens_only_if_authentic_and_in_order_and_a_refused_one_changes_nothing()
    {
        var random = new Random(1411);
        var (sender, receiver) = ChannelPair();
        for (var i = 0; i < Cases; i++)
        {
            var plaintext = new byte[random.Next(0, 300)];
            random.NextBytes(plaintext);
            var genuine = sender.Seal(plaintext);
            var forged = Mutate(random, genuine);
            if (!forged.AsSpan().SequenceEqual(genuine))
            {
                var refused = Assert.Throws<PassphraseProtocolException>(() => receiver.Open(forged));
                Assert.True(Enum.IsDefined(refused.Failure));
            }
            // The refused frame did not move the receiver: the genuine one still opens, in order.
            Assert.Equal(plaintext, receiver.Open(genuine));
        }
    }

    [Fact]
    public void Any_decrypted_content_is_read_or_refused_as_unreadable_json()
    {
        var random = new Random(1412);
        byte[][] valid =
        [
            new TextContent("hello").Serialize(), new ByeContent().Serialize(),
            new FileContent("a.txt", 3, "c", "m", Convert.ToBase64String(new byte[32])).Serialize(),
        ];
        for (var i = 0; i < Cases; i++)
        {
            var content = Mutate(random, valid[random.Next(valid.Length)]);
            try
            {
                Assert.NotNull(ChannelContent.Deserialize(content));
            }
            catch (JsonException)
            {
                // The documented refusal: the session reports the frame as unreadable and goes on.
            }
        }
    }

    /// <summary>Both ends of a channel from a real exchange (one scrypt per side).</summary>
    private static (SecureChannel Sender, SecureChannel Receiver) ChannelPair()
    {
        var a = Spake2.Start(Spake2Role.A, PassphraseSecret.Derive("crossover-clockwork", "alice", "bob"));
        var b = Spake2.Start(Spake2Role.B, PassphraseSecret.Derive("crossover-clockwork", "alice", "bob"));
        var confirmationA = a.Finish(b.Share);
        var confirmationB = b.Finish(a.Share);
        var (randomA, randomB, sessionId) = (SessionKeys.CreateRandom(), SessionKeys.CreateRandom(), Encoding.UTF8.GetBytes("p_property"));
        return (confirmationA.VerifyPeer(confirmationB.OwnConfirmation).CreateChannel(randomA, randomB, sessionId),
            confirmationB.VerifyPeer(confirmationA.OwnConfirmation).CreateChannel(randomA, randomB, sessionId));
    }

    /// <summary>A changed copy: a flipped bit, a byte cut or added, cut short, or random bytes instead (rarely, by chance, the same bytes).</summary>
    private static byte[] Mutate(Random random, byte[] original)
    {
        var bytes = original.ToList();
        switch (random.Next(5))
        {
            case 0 when bytes.Count > 0:
                var at = random.Next(bytes.Count);
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when bytes.Count > 0:
                bytes.RemoveAt(random.Next(bytes.Count));
                break;
            case 2:
                bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                break;
            case 3:
                bytes = bytes.Take(random.Next(bytes.Count)).ToList();
                break;
            default:
                var junk = new byte[random.Next(0, 64)];
                random.NextBytes(junk);
                return junk;
        }
        return [.. bytes];
    }
}
