namespace Parley.Client;

/// <summary>The live connection dropped and could not be re-established.</summary>
public sealed class LiveConnectionLostException(Exception cause)
    : Exception($"The live connection to the server was lost: {cause.Message}", cause);
