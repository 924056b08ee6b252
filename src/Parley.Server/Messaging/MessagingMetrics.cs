using System.Diagnostics.Metrics;

namespace Parley.Server.Messaging;

/// <summary>Messages posted, by kind (<c>text</c> or <c>media</c>); retries answered with the first message are not counted.</summary>
public sealed class MessagingMetrics
{
    public const string Name = "Parley.Messaging";

    private readonly Counter<long> _posted;

    public MessagingMetrics(IMeterFactory meters) =>
        _posted = meters.Create(Name).CreateCounter<long>("parley.messages.posted", "{message}", "Messages posted, by kind: text or media.");

    public void Posted(bool media) => _posted.Add(1, new KeyValuePair<string, object?>("kind", media ? "media" : "text"));
}
