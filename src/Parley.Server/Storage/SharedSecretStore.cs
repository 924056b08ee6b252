using Microsoft.EntityFrameworkCore;

namespace Parley.Server.Storage;

public static class SharedSecretStore
{
    /// <summary>
    /// The deployment's secret of this name, made by <paramref name="create"/> if no node has stored one yet. Nodes
    /// starting together may both make one: the name is the key, so one insert wins and every node returns the winner.
    /// </summary>
    public static string GetOrAdd(this ParleyDbContext db, string name, Func<string> create, TimeProvider clock)
    {
        if (Read(db, name) is { } stored) return stored;
        db.SharedSecrets.Add(new SharedSecret { Name = name, Value = create(), CreatedAt = clock.Now() });
        try
        {
            db.SaveChanges();
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear(); // another node stored one first; theirs is read back below
        }
        return Read(db, name) ?? throw new InvalidOperationException($"The shared secret '{name}' could not be stored.");
    }

    private static string? Read(ParleyDbContext db, string name) =>
        db.SharedSecrets.AsNoTracking().Where(s => s.Name == name).Select(s => s.Value).SingleOrDefault();
}
