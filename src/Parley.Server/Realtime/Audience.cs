using System.Collections.ObjectModel;

namespace Parley.Server.Realtime;

/// <summary>
/// The users a live event is for, with a hashed <c>Contains</c>. SignalR's <c>Clients.Users(ids)</c> tests every
/// connection of the node with <c>ids.Contains(connection.UserIdentifier)</c> (Enumerable.Contains, which asks
/// <see cref="ICollection{T}.Contains"/>): on a list that is connections × members string comparisons per event,
/// about a million for a room of 1,000 with everyone connected. Here it is one hash lookup per connection.
/// </summary>
public sealed class Audience : ReadOnlyCollection<string>, ICollection<string>
{
    private readonly HashSet<string> _set;

    private Audience(IList<string> userIds) : base(userIds) => _set = new HashSet<string>(userIds, StringComparer.Ordinal);

    /// <summary>The users as an audience; one already is is returned as it is.</summary>
    public static Audience Of(IEnumerable<string> userIds) => userIds as Audience ?? new Audience([.. userIds]);

    /// <summary>Everyone here but <paramref name="userId"/>.</summary>
    public Audience Except(string userId) => _set.Contains(userId) ? new Audience([.. this.Where(id => id != userId)]) : this;

    public new bool Contains(string userId) => _set.Contains(userId);

    bool ICollection<string>.Contains(string item) => _set.Contains(item);
}
