using System.Runtime.CompilerServices;
using System.Text.Json;
using Parley.Core.Passphrase;
using Parley.Core.Problems;

namespace Parley.Client.Passphrase;

public sealed partial class PassphraseSession
{
    private int _reading;

    /// <summary>
    /// What the peer sends, decrypted, in the order it was sent, each once: frames relayed before the
    /// call are fetched first, then live ones follow; a gap in the relay's sequence numbers, or a
    /// reconnect, sends the reader back to the relay's store. A frame that does not open (replayed,
    /// reordered, altered) is reported as <see cref="PassphraseFrameRejected"/> and not delivered.
    /// Ends after <see cref="PassphrasePeerLeft"/> or <see cref="PassphraseSessionFailed"/>, or when
    /// the live connection is disposed; throws <see cref="LiveConnectionLostException"/> when it is lost for good.
    /// One reader per session.
    /// </summary>
    public async IAsyncEnumerable<PassphraseEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) == 1) throw new InvalidOperationException("A session's events are read by one reader only.");
        var cursor = 0L;
        var mustCatchUp = true;
        while (true)
        {
            if (mustCatchUp)
            {
                await foreach (var frame in FramesAfterAsync(cursor, ct))
                {
                    cursor = Pass(cursor, frame.Seq);
                    if (Open(frame) is not { } caughtUp) continue;
                    yield return caughtUp;
                    if (caughtUp is PassphrasePeerLeft) yield break;
                }
                mustCatchUp = false;
            }

            switch (await _feed.ReadAsync(ct))
            {
                case null:
                    yield break;
                case PakeFrameSignal { Frame: var frame } when frame.SessionId == Id && frame.Seq > cursor:
                    if (!OnlyOwnFramesBetween(cursor, frame.Seq))
                    {
                        // A frame of the peer's never arrived live: the store has it, and this one after it.
                        mustCatchUp = true;
                        break;
                    }
                    cursor = Pass(cursor, frame.Seq);
                    if (Open(frame) is not { } received) break;
                    yield return received;
                    if (received is PassphrasePeerLeft) yield break;
                    break;
                case PakeUpdateSignal { Session: { State: PakeState.Failed } failed } when failed.Id == Id:
                    yield return new PassphraseSessionFailed(failed.Failure ?? ProblemCodes.PassphraseMismatch);
                    yield break;
                case PakeResyncSignal:
                    // Live events were lost while reconnecting: a failure, or frames, or both.
                    var state = await _client.GetPassphraseSessionAsync(Id, ct);
                    if (state.State == PakeState.Failed)
                    {
                        yield return new PassphraseSessionFailed(state.Failure ?? ProblemCodes.PassphraseMismatch);
                        yield break;
                    }
                    mustCatchUp = true;
                    break;
            }
        }
    }

    private async IAsyncEnumerable<PakeFrameDto> FramesAfterAsync(long after, [EnumeratorCancellation] CancellationToken ct)
    {
        while (true)
        {
            var page = await _client.GetPassphraseFramesAsync(Id, after, ct);
            foreach (var frame in page.Frames)
            {
                yield return frame;
                after = frame.Seq;
            }
            if (!page.HasMore || page.Frames.Count == 0) yield break;
        }
    }

    private bool OnlyOwnFramesBetween(long cursor, long seq)
    {
        for (var between = cursor + 1; between < seq; between++)
        {
            if (!_ownSeqs.ContainsKey(between)) return false;
        }
        return true;
    }

    /// <summary>Moves the cursor to <paramref name="seq"/>, forgetting this side's sequence numbers it passes.</summary>
    private long Pass(long cursor, long seq)
    {
        for (var passed = cursor + 1; passed <= seq; passed++) _ownSeqs.TryRemove(passed, out _);
        return seq;
    }

    /// <summary>The event a relayed frame makes; null for this side's own frames, which catch-up pages include.</summary>
    private PassphraseEvent? Open(PakeFrameDto frame)
    {
        if (frame.Sender != Peer) return null;
        byte[] plaintext;
        try
        {
            plaintext = _channel.Open(Convert.FromBase64String(frame.Frame));
        }
        catch (PassphraseProtocolException e)
        {
            return new PassphraseFrameRejected(frame.Seq, e.Failure, e.Message);
        }
        catch (FormatException)
        {
            return new PassphraseFrameRejected(frame.Seq, PassphraseFailure.Tampered, "The relay passed on a frame that is not base64.");
        }

        try
        {
            return ChannelContent.Deserialize(plaintext) switch
            {
                TextContent text => new PassphraseTextReceived(Peer, text.Text, frame.SentAt),
                FileContent file => new PassphraseFileOffered(Peer, ToOffer(file), frame.SentAt),
                ByeContent => new PassphrasePeerLeft(Peer),
                var other => throw new JsonException($"Unexpected content {other.GetType().Name}."),
            };
        }
        catch (JsonException e)
        {
            return new PassphraseFrameRejected(frame.Seq, Failure: null, $"The peer sent content this client cannot read: {e.Message}");
        }
    }

    private static PassphraseFileOffer ToOffer(FileContent file)
    {
        var key = new byte[PassphraseFileCipher.KeyLength];
        if (!Convert.TryFromBase64String(file.Key, key, out var written) || written != key.Length || file.Size < 0)
            throw new JsonException("The file's key or size is malformed.");
        return new PassphraseFileOffer(file.Name, file.Size, file.ContentId, file.MessageId, key);
    }
}
