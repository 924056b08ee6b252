using System.Buffers.Binary;
using System.IO.Hashing;
using Parley.Core.Scanning.Features;
using Parley.Core.Scanning.Structure;
using Parley.Testing.Scanning;

namespace Parley.Core.Tests.Scanning;

/// <summary>A large file is checked in bounded memory: the structural checks and the content pass never hold it whole.</summary>
public class StreamingTests
{
    private const long IdatLength = 64L * 1024 * 1024;

    [Fact]
    public void A_64_MiB_png_is_checked_with_a_few_MiB_allocated()
    {
        var library = FeatureLibrary.Empty.With(Enumerable.Range(0, 200).Select(i =>
            new Feature($"F{i}", "r", new PatternSignature(BytePattern.Parse($"3c3f{i:x4}*deadbeef"), PatternAnchor.Anywhere))));
        var matcher = new FeatureMatcher(library);
        StructureChecks.Check(new GeneratedPng(1000), null, null);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var report = StructureChecks.Check(new GeneratedPng(IdatLength), "image/png", "big.png");
        var features = matcher.Start(report.Payloads);
        var embedded = EmbeddedContent.Start(report.Format);
        var buffer = new byte[256 * 1024];
        using var content = new GeneratedPng(IdatLength);
        int read;
        while ((read = content.Read(buffer)) > 0)
        {
            features.Feed(buffer.AsSpan(0, read));
            embedded.Feed(buffer.AsSpan(0, read));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Empty(report.Findings);
        Assert.Empty(features.Finish());
        Assert.Empty(embedded.Finish());
        Assert.True(allocated < 8 * 1024 * 1024, $"{allocated} bytes allocated to check {IdatLength} bytes.");
    }

    /// <summary>A valid PNG (1024×N greyscale header) with one IDAT of pseudo-random bytes, generated as it is read.</summary>
    private sealed class GeneratedPng : Stream
    {
        private readonly byte[] _head;
        private readonly long _idatLength;
        private readonly Crc32 _crc = new();
        private byte[] _tail = [];
        private long _position;
        private ulong _state = 0x9E3779B97F4A7C15;

        public GeneratedPng(long idatLength)
        {
            _idatLength = idatLength;
            var ihdr = new byte[13];
            BinaryPrimitives.WriteUInt32BigEndian(ihdr, 1024);
            BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), 1024);
            ihdr[8] = 8;
            var idatHeader = new byte[8];
            BinaryPrimitives.WriteUInt32BigEndian(idatHeader, (uint)idatLength);
            "IDAT"u8.CopyTo(idatHeader.AsSpan(4));
            _head = [.. MediaSamples.PngSignature, .. MediaSamples.Chunk("IHDR", ihdr), .. idatHeader];
            _crc.Append("IDAT"u8);
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> into)
        {
            var dataEnd = _head.Length + _idatLength;
            if (_position < _head.Length) return Copy(_head.AsSpan((int)_position), into);
            if (_position < dataEnd)
            {
                var n = (int)Math.Min(into.Length, dataEnd - _position);
                for (var i = 0; i < n; i++)
                {
                    _state ^= _state << 13; _state ^= _state >> 7; _state ^= _state << 17;
                    into[i] = (byte)(_state >> 56);
                }
                _crc.Append(into[..n]);
                _position += n;
                if (_position == dataEnd)
                {
                    var crc = new byte[4];
                    BinaryPrimitives.WriteUInt32BigEndian(crc, _crc.GetCurrentHashAsUInt32());
                    _tail = [.. crc, .. MediaSamples.Chunk("IEND", [])];
                }
                return n;
            }
            var inTail = (int)(_position - dataEnd);
            return inTail < _tail.Length ? Copy(_tail.AsSpan(inTail), into) : 0;
        }

        private int Copy(ReadOnlySpan<byte> from, Span<byte> into)
        {
            var n = Math.Min(from.Length, into.Length);
            from[..n].CopyTo(into);
            _position += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
