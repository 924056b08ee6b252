using Parley.Client;

namespace Parley.Cli.Output;

/// <summary>Room names for showing events of many rooms, asked of the server once per room.</summary>
internal sealed class RoomNames(ParleyClient client)
{
    private readonly Dictionary<string, string> _names = [];

    public async Task<string> NameOfAsync(string roomId, CancellationToken ct)
    {
        if (_names.TryGetValue(roomId, out var name)) return name;
        try
        {
            name = (await client.GetRoomAsync(roomId, ct)).Name;
        }
        catch (ParleyApiException)
        {
            // No longer a member (the user just left): the id still tells which room it was.
            name = roomId;
        }
        _names[roomId] = name;
        return name;
    }
}
