using Parley.Core.Views;

namespace Parley.Bench.Views;

/// <summary>
/// Virtual time for one group of plays: every tick the viewers step, then the server takes the requests that have
/// arrived, in arrival order. No sleeping: a ten-minute video takes milliseconds.
/// </summary>
public sealed class Timeline(SimServer server)
{
    public const long Tick = 100;

    private readonly PriorityQueue<(ServerPlay Play, ReportKind? Kind, byte[]? Payload), long> _requests = new();
    private readonly List<Viewer> _viewers = [];

    public SimServer Server => server;

    public long Now { get; private set; }

    public void Add(Viewer viewer) => _viewers.Add(viewer);

    public void Deliver(long at, ServerPlay play, ReportKind kind, byte[] payload) => _requests.Enqueue((play, kind, payload), at);

    public void End(long at, ServerPlay play) => _requests.Enqueue((play, null, null), at);

    /// <summary>Runs until every viewer is done and every request is in, then closes what went quiet as a later query would.</summary>
    public void Run(IEnumerable<ServerPlay> plays, long limitMs)
    {
        while (Now < limitMs && (_requests.Count > 0 || _viewers.Exists(v => !v.Done)))
        {
            Now += Tick;
            foreach (var viewer in _viewers) viewer.Step(Now, Tick);
            while (_requests.TryPeek(out var request, out var at) && at <= Now)
            {
                _requests.Dequeue();
                if (request.Kind is { } kind) request.Play.Report(kind, request.Payload!, at);
                else if (!request.Play.Closed) request.Play.Finish(at, byClient: true);
            }
        }
        foreach (var play in plays) play.FinishIfQuiet(Now + 3_600_000);
    }
}
