using System.Buffers.Binary;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Core.Problems;
using Parley.Server.Broadcast;
using Parley.Server.Hosting;
using Parley.Core.Transfer;
using static Parley.Server.Tests.Broadcast.BroadcastDriver;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Broadcast;

/// <summary>Previews never cost the picture's declared size in memory, and hostile pictures are never broadcast.</summary>
public sealed class ThumbnailTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly Api _api = fixture.Api;

    [Fact]
    public void A_huge_png_is_previewed_without_ever_decoding_it_at_full_size()
    {
        var bomb = GrayPng(8000, 8000); // a 256 MB bitmap at full size, in a file of a few hundred KB
        Assert.True(bomb.Length < 1_000_000, $"{bomb.Length} bytes");

        var thumbnail = Thumbnails.Decode(new MemoryStream(bomb), bomb.Length);

        Assert.NotNull(thumbnail);
        Assert.StartsWith("data:image/jpeg;base64,", thumbnail.DataUrl);
        Assert.InRange(thumbnail.DecodedWidth, Thumbnails.MaxSide, 2 * Thumbnails.MaxSide);
        Assert.Equal(thumbnail.DecodedWidth, thumbnail.DecodedHeight);
        Assert.True(thumbnail.PixelBufferBytes <= Thumbnails.MaxDecodeBytes + 1_000_000, $"{thumbnail.PixelBufferBytes} bytes of pixels, against {8000L * 8000 * 4} at full size");
    }

    [Fact]
    public void Pictures_the_codec_scales_itself_stay_within_the_bound_too()
    {
        var jpeg = Jpeg(4000, 3000);

        var thumbnail = Thumbnails.Decode(new MemoryStream(jpeg), jpeg.Length);

        Assert.NotNull(thumbnail);
        Assert.True(thumbnail.PixelBufferBytes <= Thumbnails.MaxDecodeBytes + 1_000_000, $"{thumbnail.PixelBufferBytes} bytes");
    }

    [Theory]
    [InlineData("not a picture at all")]
    [InlineData("\u0089PNG\r\n\u001a\ngarbage after a real signature")]
    public void Garbage_is_not_previewed(string text)
    {
        var bytes = Encoding.Latin1.GetBytes(text);
        Assert.Null(Thumbnails.Decode(new MemoryStream(bytes), bytes.Length));
    }

    [Fact]
    public async Task A_garbage_png_is_blocked_by_the_second_detection_and_never_gets_a_ticket()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice, bob);
        byte[] garbage = [.. Encoding.Latin1.GetBytes("\u0089PNG\r\n\u001a\n"), .. RandomNumberGenerator.GetBytes(5000)];
        var request = Announce(garbage, room: room.Id) with { ForBroadcast = true };
        var transfer = await CreateAndProve(alice, request, garbage);
        var location = await StartUpload(alice, transfer.Id, garbage.Length);

        // Before the share path scanned uploads, the broadcast role refused it when the ticket was presented; now no ticket exists.
        await Api.AssertProblem(await Patch(alice, location, 0, garbage), HttpStatusCode.UnprocessableEntity, ProblemCodes.ShareBlocked);

        Assert.Null((await Api.Read<TransferDto>(await alice.Http.GetAsync($"/api/transfers/{transfer.Id}"))).Ticket);
        Assert.Equal(0, await _api.InDatabase(db => db.Messages.CountAsync(m => m.RoomId == room.Id)));
    }

    [Fact]
    public async Task A_huge_png_broadcasts_with_its_preview()
    {
        var alice = await _api.NewUser("alice");
        var bob = await _api.NewUser("bob");
        var room = await _api.NewRoom(alice, bob);
        await using var bobLive = await _api.ConnectLive(bob);
        var pictures = Pictures(bobLive);
        // 25 megapixels: far beyond a preview, within what the server's second detection decodes (Parley:Scanning:MaxPixels).
        var ticket = await Ticket(alice, room.Id, GrayPng(5000, 5000));

        Assert.Equal(HttpStatusCode.OK, (await RequestBroadcast(alice.Http, room.Id, ticket)).StatusCode);

        Assert.StartsWith("data:image/jpeg;base64,", (await pictures.Reader.ReadAsync().AsTask().Within()).Thumbnail);
    }

    [Fact]
    public async Task Concurrent_decodes_are_bounded_by_configuration()
    {
        using var thumbnails = new Thumbnails(Options.Create(new ParleyOptions { Broadcast = { MaxConcurrentDecodes = 2 } }));
        var gate = new Gate();

        var decodes = Enumerable.Range(0, 6).Select(_ => Task.Run(() => thumbnails.Make(_ => Task.FromResult<Stream>(new GatedStream(gate)), 100, default))).ToList();
        for (var released = 0; released < 6; released++)
        {
            await gate.Entered(Math.Min(released + 2, 6)).WaitAsync(TimeSpan.FromSeconds(20));
            gate.ReleaseOne();
        }
        await Task.WhenAll(decodes).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(2, gate.MostInside);
    }

    /// <summary>Counts the readers inside and lets one out at a time.</summary>
    private sealed class Gate
    {
        private readonly SemaphoreSlim _exit = new(0);
        private readonly Lock _lock = new();
        private readonly List<(int Count, TaskCompletionSource Reached)> _waits = [];
        private int _entered, _inside;

        public int MostInside { get; private set; }

        public Task Entered(int count)
        {
            lock (_lock)
            {
                if (_entered >= count) return Task.CompletedTask;
                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _waits.Add((count, reached));
                return reached.Task;
            }
        }

        public void Pass()
        {
            lock (_lock)
            {
                _entered++;
                MostInside = Math.Max(MostInside, ++_inside);
                foreach (var wait in _waits.Where(w => w.Count <= _entered)) wait.Reached.TrySetResult();
            }
            _exit.Wait();
            lock (_lock) _inside--;
        }

        public void ReleaseOne() => _exit.Release();
    }

    /// <summary>A picture stream that holds its reader at the gate, then ends (so the decode fails quickly).</summary>
    private sealed class GatedStream(Gate gate) : Stream
    {
        private bool _passed;

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (!_passed) gate.Pass();
            _passed = true;
            return 0;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static byte[] Jpeg(int width, int height)
    {
        using var bitmap = new SkiaSharp.SKBitmap(width, height);
        bitmap.Erase(SkiaSharp.SKColors.CornflowerBlue);
        using var image = SkiaSharp.SKImage.FromBitmap(bitmap);
        return image.Encode(SkiaSharp.SKEncodedImageFormat.Jpeg, 80).ToArray();
    }

    /// <summary>An 8-bit grayscale PNG with a gradient, written directly so the test never holds the full bitmap either.</summary>
    public static byte[] GrayPng(int width, int height)
    {
        var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth; colour type 0 (gray), deflate, no filter method, no interlace
        Chunk(png, "IHDR", header);
        var pixels = new MemoryStream();
        using (var deflate = new ZLibStream(pixels, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[width + 1];
            for (var y = 0; y < height; y++)
            {
                row.AsSpan(1).Fill((byte)(y * 255 / height));
                deflate.Write(row);
            }
        }
        Chunk(png, "IDAT", pixels.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        png.Write(length);
        byte[] typed = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        png.Write(crc);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
