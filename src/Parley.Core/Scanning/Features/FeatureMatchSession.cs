using System.Security.Cryptography;

namespace Parley.Core.Scanning.Features;

/// <summary>
/// Matching one file, fed in order (<see cref="Feed"/>, then <see cref="Finish"/>). Memory is bounded by the
/// library, not the file: the window keeps the longest pattern part (or the farthest <c>eof-N</c>), the head
/// the farthest <c>start+N</c> pattern. A hit of a part's literal run becomes a candidate start, checked in
/// start order once the window holds the part's longest match; the parts of a pattern split by <c>*</c>
/// chain in order, each after the earliest end of the one before.
/// </summary>
public sealed class FeatureMatchSession
{
    private readonly FeatureMatcher _matcher;
    private readonly IReadOnlyList<ByteRange> _payloads;
    // Null when the caller hashes the whole file itself (on another core) and hands the digest to Finish.
    private readonly IncrementalHash? _whole;
    private readonly IncrementalHash[] _payloadHashes;
    private readonly byte[] _head;
    private readonly byte[] _window;
    private readonly int _keep;
    private readonly PriorityQueue<(int Pattern, int Part), long> _candidates = new();
    private readonly List<(int Key, long End)> _hits = [];
    private readonly int[] _nextPart;
    private readonly long[][] _partEnds;
    private readonly List<FeatureHit> _hitsFound = [];
    private long _windowStart;
    private int _windowLength;
    private long _position;
    private int _state;
    private bool _finished;

    internal FeatureMatchSession(FeatureMatcher matcher, IReadOnlyList<ByteRange> payloads, bool hashWhole = true)
    {
        _matcher = matcher;
        _whole = hashWhole ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        _payloads = payloads;
        _payloadHashes = payloads.Select(_ => IncrementalHash.CreateHash(HashAlgorithmName.SHA256)).ToArray();
        _head = new byte[matcher.HeadLength];
        _keep = Math.Max(matcher.LongestPart, matcher.TailLength);
        _window = new byte[_keep + FeatureMatcher.ChunkSize];
        _nextPart = new int[matcher.Anywhere.Length];
        _partEnds = matcher.Anywhere.Select(f => new long[FeatureMatcher.Pattern(f).Parts.Count]).ToArray();
    }

    public void Feed(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (data.Length > 0)
        {
            var piece = data[..Math.Min(data.Length, FeatureMatcher.ChunkSize)];
            FeedPiece(piece);
            data = data[piece.Length..];
        }
    }

    /// <summary>Checks what can only be checked at the end (hashes, anchored patterns) and returns every feature that matched.</summary>
    public IReadOnlyList<FeatureHit> Finish() => Finish(null);

    /// <param name="fileDigest">
    /// The whole file's SHA-256 when the session was started without hashing it; null otherwise. A session without it
    /// may only finish so when its library has no file hash to check.
    /// </param>
    internal IReadOnlyList<FeatureHit> Finish(byte[]? fileDigest) => Finish(fileDigest, _payloads, i => _payloadHashes[i].GetHashAndReset());

    /// <summary>
    /// For a session fed before its payloads were known (started with none, on an upload's stream): the payloads the
    /// structural checks found afterwards, and the SHA-256 of each (<paramref name="payloadDigest"/>, by index), read again.
    /// </summary>
    internal IReadOnlyList<FeatureHit> Finish(byte[]? fileDigest, IReadOnlyList<ByteRange> payloads, Func<int, byte[]> payloadDigest)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (!ReferenceEquals(payloads, _payloads) && _payloads.Count > 0) throw new InvalidOperationException("The session hashed its payloads itself.");
        if (_whole is not null && fileDigest is not null) throw new InvalidOperationException("The session hashed the file itself.");
        fileDigest ??= _whole?.GetHashAndReset();
        if (fileDigest is null && _matcher.FileHashes.Count > 0) throw new InvalidOperationException("File hash features need the file's digest.");
        _finished = true;
        Drain(long.MaxValue);
        CheckAnchored();
        CheckHashes(fileDigest, payloads, payloadDigest);
        _whole?.Dispose();
        foreach (var hash in _payloadHashes) hash.Dispose();
        return _hitsFound;
    }

    private void FeedPiece(ReadOnlySpan<byte> piece)
    {
        Slide(piece);
        if (_position < _head.Length) piece[..(int)Math.Min(piece.Length, _head.Length - _position)].CopyTo(_head.AsSpan((int)_position));
        _whole?.AppendData(piece);
        for (var i = 0; i < _payloads.Count; i++)
        {
            var from = Math.Max(_payloads[i].Start, _position);
            var to = Math.Min(_payloads[i].End, _position + piece.Length);
            if (from < to) _payloadHashes[i].AppendData(piece.Slice((int)(from - _position), (int)(to - from)));
        }
        _hits.Clear();
        _matcher.Automaton.Feed(ref _state, piece, _position, _hits);
        foreach (var (key, end) in _hits)
        {
            var (pattern, part) = _matcher.KeyOwners[key];
            var shape = FeatureMatcher.Pattern(_matcher.Anywhere[pattern]).Parts[part];
            var start = end - shape.AnchorRun.Length - shape.AnchorOffset;
            if (start >= 0 && _nextPart[pattern] < _partEnds[pattern].Length) _candidates.Enqueue((pattern, part), start);
        }
        _position += piece.Length;
        Drain(_position - _matcher.LongestPart);
    }

    /// <summary>Appends to the window, first dropping all but the last <c>_keep</c> bytes.</summary>
    private void Slide(ReadOnlySpan<byte> piece)
    {
        if (_windowLength + piece.Length > _window.Length)
        {
            var drop = _windowLength - _keep;
            _window.AsSpan(drop, _keep).CopyTo(_window);
            _windowStart += drop;
            _windowLength = _keep;
        }
        piece.CopyTo(_window.AsSpan(_windowLength));
        _windowLength += piece.Length;
    }

    private void Drain(long upTo)
    {
        while (_candidates.TryPeek(out var candidate, out var start) && start <= upTo)
        {
            _candidates.Dequeue();
            Verify(candidate.Pattern, candidate.Part, start);
        }
    }

    private void Verify(int pattern, int part, long start)
    {
        var parts = FeatureMatcher.Pattern(_matcher.Anywhere[pattern]).Parts;
        var next = _nextPart[pattern];
        if (next == parts.Count || part > next || part < next - 1) return;
        if (part > 0 && start < _partEnds[pattern][part - 1] + parts[part].MinGapBefore) return;
        var length = parts[part].Match(WindowAt(start, parts[part].MaxLength));
        if (length < 0) return;
        var end = start + length;
        if (part == next - 1)
        {
            // An earlier end for the last part matched leaves more room for the next one.
            _partEnds[pattern][part] = Math.Min(_partEnds[pattern][part], end);
            return;
        }
        _partEnds[pattern][part] = end;
        if (++_nextPart[pattern] == parts.Count)
            _hitsFound.Add(new FeatureHit(_matcher.Anywhere[pattern], new ByteRange(start, end - start)));
    }

    private ReadOnlySpan<byte> WindowAt(long start, int maxLength)
    {
        var at = (int)(start - _windowStart);
        return _window.AsSpan(at, (int)Math.Min(maxLength, _windowLength - at));
    }

    private void CheckAnchored()
    {
        foreach (var feature in _matcher.Anchored)
        {
            var part = FeatureMatcher.Pattern(feature).Parts[0];
            var anchor = FeatureMatcher.Anchor(feature);
            ReadOnlySpan<byte> at;
            if (anchor.Kind == AnchorKind.FromStart)
            {
                var available = (int)Math.Min(_position, _head.Length);
                if (anchor.Offset >= available) continue;
                at = _head.AsSpan(anchor.Offset, Math.Min(part.MaxLength, available - anchor.Offset));
            }
            else
            {
                if (anchor.Offset > _position) continue;
                at = WindowAt(_position - anchor.Offset, part.MaxLength);
            }
            var start = anchor.Kind == AnchorKind.FromStart ? anchor.Offset : _position - anchor.Offset;
            if (part.Match(at) is var length and >= 0) _hitsFound.Add(new FeatureHit(feature, new ByteRange(start, length)));
        }
    }

    /// <summary>SHA-256 of the whole file, available after <see cref="Finish"/>: its content id, without hashing it twice.</summary>
    public byte[] FileDigest { get; private set; } = [];

    private void CheckHashes(byte[]? fileDigest, IReadOnlyList<ByteRange> payloads, Func<int, byte[]> payloadDigest)
    {
        FileDigest = fileDigest ?? [];
        var whole = Convert.ToHexStringLower(FileDigest);
        foreach (var feature in _matcher.FileHashes.GetValueOrDefault(whole, []))
            if (((HashSignature)feature.Signature).Size is not { } size || size == _position)
                _hitsFound.Add(new FeatureHit(feature, new ByteRange(0, _position)));
        for (var i = 0; i < payloads.Count; i++)
        {
            if (payloads[i].End > _position) continue;
            var payload = Convert.ToHexStringLower(payloadDigest(i));
            foreach (var feature in _matcher.PayloadHashes.GetValueOrDefault(payload, []))
                if (((HashSignature)feature.Signature).Size is not { } size || size == payloads[i].Length)
                    _hitsFound.Add(new FeatureHit(feature, payloads[i]));
        }
    }
}
