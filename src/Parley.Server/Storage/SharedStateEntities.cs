namespace Parley.Server.Storage;

/// <summary>
/// A secret every node of a deployment must hold alike (the node key, the ticket signing key): kept in the
/// shared database so that the first node to start makes it and every other node reads the same one.
/// </summary>
public sealed class SharedSecret
{
    public required string Name { get; init; }
    public required string Value { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A dynamic AES-256 key that seals broadcast tickets (docs/broadcast.md), shared by every upload node.</summary>
public sealed class TicketKey
{
    /// <summary>The key id a ticket names: an unsigned 32-bit value, held in a 64-bit column that every provider stores alike.</summary>
    public required long Id { get; init; }
    public required byte[] Key { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A wrong password given for an account, counted by every node for the per-account sign-in throttle.</summary>
public sealed class SignInFailure
{
    public required string Id { get; init; }
    public required string UserId { get; init; }
    public required DateTimeOffset FailedAt { get; init; }
}
