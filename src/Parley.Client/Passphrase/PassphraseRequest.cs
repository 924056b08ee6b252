using Parley.Core.Passphrase;

namespace Parley.Client.Passphrase;

/// <summary>Someone asks this user for a passphrase session; answer it with <see cref="PassphraseInbox.AcceptAsync"/>.</summary>
public sealed class PassphraseRequest
{
    internal PassphraseRequest(PakeSessionDto session) => Session = session;

    public string SessionId => Session.Id;

    /// <summary>The user who asks: the passphrase is bound to this name, so it is the one to check.</summary>
    public string From => Session.Initiator;

    /// <summary>The end of T1: the answer must reach the server before it.</summary>
    public DateTimeOffset AnswerDeadline => Session.AnswerDeadline;

    internal PakeSessionDto Session { get; }
}
