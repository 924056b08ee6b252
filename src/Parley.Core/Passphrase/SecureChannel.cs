using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Parley.Core.Passphrase;

/// <summary>
/// One side's end of the end-to-end encrypted message channel of a passphrase session. Each
/// direction has its own AES-256-GCM key and its own 64-bit counter, so no nonce repeats.
/// <para>
/// Frame = counter (8 bytes big-endian) || ciphertext (as long as the plaintext) || tag (16 bytes).
/// Nonce = 4 zero bytes || counter (8 bytes big-endian). Associated data = direction byte
/// (0x01 A→B, 0x02 B→A) || session id. <see cref="Open(ReadOnlySpan{byte})"/> accepts only the next
/// counter in sequence, so replayed, reordered, dropped or altered frames are refused; a refused
/// frame changes nothing, so the genuine frame still opens after it.
/// </para>
/// Not thread-safe: use one sender and one receiver at a time.
/// </summary>
public sealed class SecureChannel : IDisposable
{
    public const int CounterLength = 8;
    public const int TagLength = 16;
    public const int Overhead = CounterLength + TagLength;
    public const int DefaultMaxPlaintextLength = 64 * 1024;

    private const int NonceLength = 12;
    private const byte AToBDirection = 0x01;
    private const byte BToADirection = 0x02;

    private readonly AesGcm _sealer;
    private readonly AesGcm _opener;
    private readonly byte[] _sealAssociatedData;
    private readonly byte[] _openAssociatedData;
    private ulong _nextSendCounter;
    private ulong _nextReceiveCounter;

    /// <param name="firstSendCounter">Where the send counter starts: 0, except in the test of counter exhaustion.</param>
    internal SecureChannel(Spake2Role role, ReadOnlySpan<byte> sealKey, ReadOnlySpan<byte> openKey, ReadOnlySpan<byte> sessionId,
        int maxPlaintextLength, ulong firstSendCounter = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPlaintextLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPlaintextLength, int.MaxValue - Overhead);
        Role = role;
        MaxPlaintextLength = maxPlaintextLength;
        _sealer = new AesGcm(sealKey, TagLength);
        _opener = new AesGcm(openKey, TagLength);
        var (sealDirection, openDirection) = role == Spake2Role.A ? (AToBDirection, BToADirection) : (BToADirection, AToBDirection);
        _sealAssociatedData = [sealDirection, .. sessionId];
        _openAssociatedData = [openDirection, .. sessionId];
        _nextSendCounter = firstSendCounter;
    }

    public Spake2Role Role { get; }

    public int MaxPlaintextLength { get; }

    public static int FrameLength(int plaintextLength) => checked(plaintextLength + Overhead);

    /// <summary>Encrypts the next message into <paramref name="frame"/>; returns the frame's length.</summary>
    public int Seal(ReadOnlySpan<byte> plaintext, Span<byte> frame)
    {
        CheckPlaintext(plaintext);
        var length = FrameLength(plaintext.Length);
        if (frame.Length < length) throw new ArgumentException($"The frame needs {length} bytes.", nameof(frame));
        // The last counter value is never used, so the receiver's next-expected counter cannot wrap.
        if (_nextSendCounter == ulong.MaxValue)
        {
            throw new InvalidOperationException("This channel has sent all the messages its counter allows; start a new session.");
        }

        // The counter is taken before encrypting: whatever happens next, this nonce is never used again.
        var counter = _nextSendCounter++;
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, counter);
        BinaryPrimitives.WriteUInt64BigEndian(frame, counter);
        _sealer.Encrypt(nonce, plaintext, frame.Slice(CounterLength, plaintext.Length), frame.Slice(CounterLength + plaintext.Length, TagLength),
            _sealAssociatedData);
        return length;
    }

    public byte[] Seal(ReadOnlySpan<byte> plaintext)
    {
        CheckPlaintext(plaintext);
        var frame = new byte[FrameLength(plaintext.Length)];
        Seal(plaintext, frame);
        return frame;
    }

    /// <summary>
    /// Authenticates and decrypts the next frame from the peer into <paramref name="plaintext"/>;
    /// returns the plaintext's length. Throws <see cref="PassphraseProtocolException"/> for a frame
    /// that is too short or too large, out of sequence, or fails authentication.
    /// </summary>
    public int Open(ReadOnlySpan<byte> frame, Span<byte> plaintext)
    {
        var length = CheckFrame(frame);
        if (plaintext.Length < length) throw new ArgumentException($"The plaintext needs {length} bytes.", nameof(plaintext));

        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteNonce(nonce, _nextReceiveCounter);
        try
        {
            _opener.Decrypt(nonce, frame.Slice(CounterLength, length), frame[^TagLength..], plaintext[..length], _openAssociatedData);
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new PassphraseProtocolException(PassphraseFailure.Tampered,
                "The frame failed authentication: it was altered, or sealed for another session or direction.");
        }
        _nextReceiveCounter++;
        return length;
    }

    public byte[] Open(ReadOnlySpan<byte> frame)
    {
        var plaintext = new byte[CheckFrame(frame)];
        Open(frame, plaintext);
        return plaintext;
    }

    public void Dispose()
    {
        _sealer.Dispose();
        _opener.Dispose();
    }

    private void CheckPlaintext(ReadOnlySpan<byte> plaintext)
    {
        if (plaintext.Length > MaxPlaintextLength)
        {
            throw new ArgumentException($"A message may hold at most {MaxPlaintextLength} bytes.", nameof(plaintext));
        }
    }

    /// <summary>Checks size and sequence before any decryption; returns the plaintext length.</summary>
    private int CheckFrame(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < Overhead)
        {
            throw new PassphraseProtocolException(PassphraseFailure.FrameTooShort, $"A frame has at least {Overhead} bytes.");
        }
        var length = frame.Length - Overhead;
        if (length > MaxPlaintextLength)
        {
            throw new PassphraseProtocolException(PassphraseFailure.FrameTooLarge, $"A frame may carry at most {MaxPlaintextLength} bytes.");
        }
        var counter = BinaryPrimitives.ReadUInt64BigEndian(frame);
        if (counter < _nextReceiveCounter)
        {
            throw new PassphraseProtocolException(PassphraseFailure.Replayed, $"Frame {counter} was already received.");
        }
        if (counter > _nextReceiveCounter)
        {
            throw new PassphraseProtocolException(PassphraseFailure.OutOfOrder, $"Expected frame {_nextReceiveCounter}, got frame {counter}.");
        }
        return length;
    }

    private static void WriteNonce(Span<byte> nonce, ulong counter)
    {
        nonce[..4].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], counter);
    }
}
