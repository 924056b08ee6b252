namespace Parley.Core.Passphrase;

/// <summary>
/// The two sides of SPAKE2 (RFC 9382). They are not interchangeable: A blinds its share with M and
/// B with N, and the transcript lists A's identity and share first. In Parley, A is the user who
/// opens the passphrase session (the request) and B the user who answers it.
/// </summary>
public enum Spake2Role
{
    A,
    B,
}
