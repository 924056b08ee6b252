using Parley.Client;
using Parley.Client.Broadcast;
using Parley.Core.Broadcast;
using Parley.Testing;

namespace Parley.Bench.Broadcast;

/// <summary>
/// Parley's broadcast to one room whose every member has a live connection in this process. Each
/// sender holds one ticket issued beforehand, so what is timed is the broadcast request: the ticket's
/// checks, the message it posts, and the fan-out of the <c>broadcast</c> event to the other members.
/// </summary>
internal sealed class ParleyFanOut : IBroadcaster, IAsyncDisposable
{
    private const int SetUpParallelism = 8;
    private readonly HttpMessageHandler _http;
    private readonly ParleyClient[] _members;
    private readonly List<ParleyLive> _live = [];
    private readonly List<(int Sender, PictureTicket Ticket)> _tickets = [];
    private string _roomId = "";
    private BroadcastEvent? _sample;

    private ParleyFanOut(HttpMessageHandler http, ParleyClient[] members)
    {
        _http = http;
        _members = members;
    }

    public int Capacity => _tickets.Count;

    /// <summary>One event as a member received it: the payload the bare baseline sends.</summary>
    public BroadcastEvent Sample => _sample ?? throw new InvalidOperationException("Nothing was broadcast yet.");

    public string KeyOf(int index) => _tickets[index].Ticket.ContentId;

    public Task SendAsync(int index) => _members[_tickets[index].Sender].BroadcastAsync(_roomId, _tickets[index].Ticket.Ticket);

    public static async Task<ParleyFanOut> SetUpAsync(RunningServer server, int memberCount, int ticketCount, string pictures, DeliveryProbe probe)
    {
        // One connection pool for all the members' HTTP calls, as one busy client machine would have.
        var http = new SocketsHttpHandler();
        var fanOut = new ParleyFanOut(http, Enumerable.Range(0, memberCount).Select(_ => new ParleyClient(server.BaseAddress, handler: http)).ToArray());
        await fanOut.SignUpAsync();
        await fanOut.GatherAsync();
        await fanOut.IssueTicketsAsync(Math.Min(ticketCount, memberCount - 1), pictures);
        await fanOut.ConnectAsync(probe);
        return fanOut;
    }

    private Task SignUpAsync() => ForEach(_members.Length, async i =>
    {
        var name = $"member{i:D5}";
        await _members[i].RegisterAsync(name, "bench password 1234");
        await _members[i].SignInAsync(name, "bench password 1234");
    });

    /// <summary>Member 0 creates the room and invites everyone else, who joins: before anyone is connected, so no live events are sent yet.</summary>
    private async Task GatherAsync()
    {
        _roomId = (await _members[0].CreateRoomAsync("broadcast bench")).Id;
        await ForEach(_members.Length - 1, i => _members[0].InviteAsync(_roomId, $"member{i + 1:D5}"));
        await ForEach(_members.Length - 1, i => _members[i + 1].JoinAsync(_roomId));
    }

    /// <summary>Members 1…N each get a ticket for a picture of their own, so each broadcast's ticket is the one the broadcast role stored for its sender.</summary>
    private async Task IssueTicketsAsync(int count, string pictures)
    {
        var issued = new PictureTicket[count];
        await ForEach(count, async i => issued[i] = await _members[i + 1].GetTicketAsync(Pictures.Write(pictures, i), _roomId));
        _tickets.AddRange(issued.Select((ticket, i) => (i + 1, ticket)));
    }

    private async Task ConnectAsync(DeliveryProbe probe)
    {
        foreach (var member in _members)
        {
            var live = new ParleyLive(member);
            live.BroadcastReceived += picture =>
            {
                _sample ??= picture;
                probe.Delivered(picture.ContentId);
            };
            _live.Add(live);
        }
        await ForEach(_live.Count, i => _live[i].StartAsync());
    }

    private static Task ForEach(int count, Func<int, Task> action) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = SetUpParallelism }, async (i, _) => await action(i));

    public async ValueTask DisposeAsync()
    {
        foreach (var live in _live) await live.DisposeAsync();
        foreach (var member in _members) member.Dispose();
        _http.Dispose();
    }
}
