using Parley.Client.Transfer;
using Parley.Testing.Views;

namespace Parley.Client.Tests.Views;

/// <summary>A server whose plays report every second (sealed) and two seconds (plain), so a real-time watch of a 3-second video takes a few seconds.</summary>
public sealed class ViewsServerFixture : ServerFixture
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Parley:Views:SealedEvery", "00:00:01"),
        new("Parley:Views:PlainEvery", "00:00:02"),
        // Shorter than both periods, as the rules require; the client keeps its periods within a few milliseconds.
        new("Parley:Views:Tolerance", "00:00:00.8"),
    ];

    /// <summary>A 3-second MP4 that <paramref name="sender"/> sent to a room <paramref name="viewers"/> are in; returns the message id.</summary>
    public async Task<string> SendVideoAsync(TestUser sender, params TestUser[] viewers)
    {
        var room = await NewRoomAsync(sender, viewers);
        var path = Path.Combine(Path.GetTempPath(), $"parley-view-{Guid.NewGuid():N}.mp4");
        await File.WriteAllBytesAsync(path, await TestVideos.MakeAsync(VideoFormat.Mp4, seconds: 3, variant: Random.Shared.Next(1000)));
        try
        {
            var sent = await sender.Client.SendFileAsync(path, new SendFileOptions { Room = room, MediaType = "video/mp4" });
            return sent.Message.Id;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
