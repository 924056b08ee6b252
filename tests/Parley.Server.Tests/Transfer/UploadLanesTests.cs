using System.Buffers;
using Parley.Server.Transfer;

namespace Parley.Server.Tests.Transfer;

/// <summary>
/// The lanes beside a PATCH's receive (<see cref="UploadLanes"/>): every lane sees every byte in order however far it
/// falls behind, and a lane that fails does not stall the receive on its full queue: every lane drains, and its error
/// ends the PATCH.
/// </summary>
public sealed class UploadLanesTests
{
    private const int Pieces = 5 * UploadLanes.Depth;

    private static async Task Post(UploadLanes lanes, byte[] content, int pieceSize)
    {
        for (var at = 0; at < content.Length; at += pieceSize)
        {
            var length = Math.Min(pieceSize, content.Length - at);
            var piece = ArrayPool<byte>.Shared.Rent(length);
            content.AsSpan(at, length).CopyTo(piece);
            await lanes.PostAsync(piece, length);
        }
    }

    [Fact]
    public async Task Every_lane_sees_every_byte_in_order()
    {
        var content = new byte[Pieces * 1000 + 17];
        new Random(3).NextBytes(content);
        var fast = new MemoryStream();
        var slow = new MemoryStream();
        var lanes = new UploadLanes([fast.Write, bytes => { Thread.SpinWait(20_000); slow.Write(bytes); }]);

        await Post(lanes, content, 1000);
        await lanes.CompleteAsync();

        Assert.Equal(content, fast.ToArray());
        Assert.Equal(content, slow.ToArray());
    }

    [Fact]
    public async Task A_failing_lane_drains_its_queue_and_its_error_ends_the_patch()
    {
        var content = new byte[Pieces * 100];
        new Random(4).NextBytes(content);
        var healthy = new MemoryStream();
        var lanes = new UploadLanes([healthy.Write, _ => throw new IOException("disk full")]);

        // Far more pieces than a queue holds: with a lane that stopped reading, this would never return.
        await Post(lanes, content, 100).WaitAsync(TimeSpan.FromMinutes(1));

        var failure = await Assert.ThrowsAsync<IOException>(lanes.CompleteAsync);
        Assert.Equal("disk full", failure.Message);
        // The other lanes stop consuming once one failed (the PATCH is lost anyway); what they saw is in order.
        Assert.Equal(content.AsSpan(0, (int)healthy.Length).ToArray(), healthy.ToArray());
    }
}
