using System.Diagnostics;
using Parley.Client.Transfer;

namespace Parley.Bench.Transfer;

/// <summary>
/// Where one send's time went, from the client's progress reports (<see cref="TransferPhase"/>): the first read (content
/// id and first detection), the announce round trip, the manifest read, the manifest and tus creation round trips, the
/// PATCH stream (first to last byte handed to the socket) and the tail after the last byte until the result.
/// </summary>
internal sealed class PhaseClock : IProgress<TransferProgress>
{
    public static readonly string[] Names = ["first read", "announce", "manifest read", "manifest + tus create", "PATCH stream", "after the last byte"];

    /// <summary>The index of the PATCH stream in <see cref="Names"/>.</summary>
    public const int Stream = 4;

    private readonly Stopwatch _watch = Stopwatch.StartNew();
    private readonly Dictionary<TransferPhase, (TimeSpan First, TimeSpan Last)> _seen = [];

    /// <summary>Reports arrive on the sender's thread, in order.</summary>
    public void Report(TransferProgress value)
    {
        var now = _watch.Elapsed;
        _seen[value.Phase] = _seen.TryGetValue(value.Phase, out var seen) ? (seen.First, now) : (now, now);
    }

    /// <summary>Each phase's length, in <see cref="Names"/> order; the end is now (call it when the send returned).</summary>
    public TimeSpan[] Finish()
    {
        var end = _watch.Elapsed;
        var hashed = _seen.GetValueOrDefault(TransferPhase.Hashing);
        var chunked = _seen.TryGetValue(TransferPhase.Chunking, out var c) ? c : (First: hashed.Last, Last: hashed.Last);
        var uploaded = _seen.GetValueOrDefault(TransferPhase.Uploading);
        return [hashed.Last, chunked.First - hashed.Last, chunked.Last - chunked.First, uploaded.First - chunked.Last, uploaded.Last - uploaded.First, end - uploaded.Last];
    }
}

/// <summary>The best of each phase over the rounds (a noisy machine only adds time).</summary>
internal sealed class PhaseSamples
{
    private readonly Samples[] _phases = PhaseClock.Names.Select(_ => new Samples()).ToArray();

    public void Add(TimeSpan[] phases)
    {
        for (var i = 0; i < phases.Length; i++) _phases[i].Add(phases[i]);
    }

    public Samples this[int phase] => _phases[phase];
}
