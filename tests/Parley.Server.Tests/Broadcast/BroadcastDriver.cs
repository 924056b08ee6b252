using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Parley.Core.Broadcast;
using Parley.Core.Transfer;
using SkiaSharp;
using static Parley.Server.Tests.Transfer.TransferDriver;

namespace Parley.Server.Tests.Broadcast;

public static class BroadcastDriver
{
    /// <summary>A real PNG, so the broadcast role can make a thumbnail of it; <paramref name="seed"/> makes each one different.</summary>
    public static byte[] Picture(int seed = 0, int width = 320, int height = 200)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(new SKColor((byte)(seed * 37), (byte)(seed * 91), 200));
            canvas.DrawCircle(width / 2f, height / 2f, height / 3f, new SKPaint { Color = SKColors.White });
        }
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    /// <summary>The upload role's half: send the picture as a broadcast transfer, get its ticket.</summary>
    public static async Task<string> Ticket(TestUser user, string roomId, byte[] picture)
    {
        var request = Announce(picture, room: roomId) with { ForBroadcast = true };
        var transfer = await CreateAndProve(user, request, picture);
        if (transfer.State == TransferState.Upload)
        {
            var location = await StartUpload(user, transfer.Id, picture.Length);
            Assert.Equal(HttpStatusCode.NoContent, (await Patch(user, location, 0, picture)).StatusCode);
            transfer = await Api.Read<TransferDto>(await user.Http.GetAsync($"/api/transfers/{transfer.Id}"));
        }
        Assert.Equal(TransferState.Delivered, transfer.State);
        Assert.Null(transfer.Message); // a broadcast transfer posts nothing by itself
        return transfer.Ticket!;
    }

    public static Task<HttpResponseMessage> RequestBroadcast(HttpClient http, string roomId, string ticket) =>
        Api.PostJson(http, "/api/broadcasts", new BroadcastRequest(roomId, ticket));

    public static Channel<BroadcastEvent> Pictures(HubConnection live)
    {
        var channel = Channel.CreateUnbounded<BroadcastEvent>();
        live.On<BroadcastEvent>(BroadcastLiveEvents.Picture, e => channel.Writer.TryWrite(e));
        return channel;
    }
}
