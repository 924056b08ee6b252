using Parley.Client;

namespace Parley.Cli.Session;

/// <summary>
/// Lets a command name a room by id or by name. Names are looked up among the user's rooms and
/// invitations; anything else goes to the server as an id, so its answer (not found, not a member) is the one shown.
/// </summary>
internal static class RoomRef
{
    public static async Task<string> ResolveAsync(ParleyClient client, string idOrName, CancellationToken ct)
    {
        var list = await client.ListRoomsAsync(ct);
        var known = list.Rooms.Select(r => (r.Id, r.Name))
            .Concat(list.Invitations.Select(i => (Id: i.RoomId, Name: i.RoomName)))
            .DistinctBy(r => r.Id)
            .ToList();
        if (known.Any(r => r.Id == idOrName)) return idOrName;
        var named = known.Where(r => string.Equals(r.Name, idOrName, StringComparison.OrdinalIgnoreCase)).ToList();
        return named.Count switch
        {
            0 => idOrName,
            1 => named[0].Id,
            _ => throw new CliException(CliCodes.AmbiguousRoom,
                $"Several rooms are named '{idOrName}'; use an id: {string.Join(", ", named.Select(r => r.Id))}."),
        };
    }
}
