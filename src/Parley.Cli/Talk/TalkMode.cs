using Parley.Core.Passphrase;

namespace Parley.Cli.Talk;

/// <summary>Which side of a passphrase session this run of <c>parley talk</c> takes, and what it needs for it.</summary>
internal abstract record TalkMode;

/// <summary><c>--to USER</c>: open a named session; the passphrase is agreed beforehand.</summary>
internal sealed record AskUser(string User, PassphraseInput Passphrase) : TalkMode;

/// <summary><c>--accept</c>: wait for a named request and answer it.</summary>
internal sealed record AwaitRequest(PassphraseInput Passphrase) : TalkMode;

/// <summary><c>--generate</c>: open a code session; the fresh code carries the passphrase.</summary>
internal sealed record GenerateCode : TalkMode;

/// <summary><c>--code CODE</c>: claim and answer the session the code names.</summary>
internal sealed record JoinWithCode(PassphraseCode Code) : TalkMode;
