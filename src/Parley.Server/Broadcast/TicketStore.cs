using Microsoft.Extensions.Options;
using Parley.Core.Broadcast;
using Parley.Server.Hosting;
using Parley.Server.Storage;

namespace Parley.Server.Broadcast;

/// <summary>
/// The broadcast role's memory of pushed tickets (SPEC §2 step 4): the newest ticket of each client
/// (user + device), bounded and expiring. It is only a fast path: a miss or a stale entry sends the
/// broadcast role to the upload role for the authoritative copy.
/// </summary>
public sealed class TicketStore(IOptions<ParleyOptions> options, TimeProvider clock)
{
    private readonly Dictionary<string, TicketPushDto> _byClient = new();
    private readonly Lock _gate = new();

    private static string ClientKey(string userId, string deviceId) => userId + "|" + deviceId;

    public void Put(TicketPushDto ticket)
    {
        lock (_gate)
        {
            _byClient[ClientKey(ticket.UserId, ticket.DeviceId)] = ticket;
            if (_byClient.Count <= options.Value.Broadcast.StoreCapacity) return;
            var now = clock.Now();
            foreach (var expired in _byClient.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToList()) _byClient.Remove(expired);
            while (_byClient.Count > options.Value.Broadcast.StoreCapacity)
                _byClient.Remove(_byClient.MinBy(e => e.Value.ExpiresAt).Key);
        }
    }

    public TicketPushDto? Find(string userId, string deviceId)
    {
        lock (_gate)
            return _byClient.TryGetValue(ClientKey(userId, deviceId), out var ticket) && ticket.ExpiresAt > clock.Now() ? ticket : null;
    }

    public int Count
    {
        get
        {
            lock (_gate) return _byClient.Count;
        }
    }

    public void Clear()
    {
        lock (_gate) _byClient.Clear();
    }
}
