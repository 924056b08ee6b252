using System.Diagnostics.Metrics;
using Parley.Server.Hosting;

namespace Parley.Server.Passphrase;

/// <summary>
/// Passphrase handshakes by how they ended: <c>connected</c>, or the failure code (mismatch, timeouts).
/// A failed handshake is a security event (a wrong guess, or a side that gave up), logged under <see cref="SecurityLog.Category"/>.
/// </summary>
public sealed class PassphraseMetrics
{
    public const string Name = "Parley.Passphrase";
    public const string Connected = "connected";

    private readonly Counter<long> _handshakes;
    private readonly ILogger _security;

    public PassphraseMetrics(IMeterFactory meters, ILoggerFactory logs)
    {
        _handshakes = meters.Create(Name).CreateCounter<long>("parley.passphrase.handshakes", "{handshake}",
            "Passphrase handshakes ended, by outcome: connected, or the failure code.");
        _security = logs.CreateLogger(SecurityLog.Category);
    }

    public void Succeeded() => _handshakes.Add(1, new KeyValuePair<string, object?>("outcome", Connected));

    /// <param name="blamedUserId">Who is charged the guess; null when nobody is.</param>
    public void Failed(string sessionId, string failure, string? blamedUserId)
    {
        _handshakes.Add(1, new KeyValuePair<string, object?>("outcome", failure));
        _security.HandshakeFailed(sessionId, failure, blamedUserId);
    }
}
