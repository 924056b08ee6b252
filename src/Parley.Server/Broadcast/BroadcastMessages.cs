namespace Parley.Server.Broadcast;

/// <summary>
/// How a broadcast's message is recognised in history without a column of its own: it is posted with
/// the client message id <c>broadcast:{ticket id}</c>. Only the broadcast role posts media with such an
/// id (clients may not send one), and the ticket being single use makes the id unique, as the
/// (room, sender, client message id) index wants.
/// </summary>
public static class BroadcastMessages
{
    private const string Prefix = "broadcast:";

    public static string ClientMessageId(string ticketId) => Prefix + ticketId;

    public static bool IsReserved(string? clientMessageId) => clientMessageId?.StartsWith(Prefix, StringComparison.Ordinal) == true;
}
