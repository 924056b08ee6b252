using Parley.Core.Problems;
using Parley.Core.Scanning.Features;

namespace Parley.Client.Scanning;

/// <summary>Keeps a <see cref="LocalFeatureStore"/> at the server's version: by asking for the changes since its own, or from a live update.</summary>
public static class FeatureLibrarySync
{
    /// <summary>Fetches what changed since the stored version and applies it; returns the library now stored.</summary>
    public static async Task<FeatureLibrary> SyncAsync(this LocalFeatureStore store, ParleyClient client, CancellationToken ct = default)
    {
        var local = store.Load();
        try
        {
            var answer = await client.GetFeatureLibraryAsync(local.Version, ct);
            return store.Apply(FeatureText.ParseDelta(answer.Delta));
        }
        catch (ParleyApiException e) when (e.Code == ProblemCodes.RequestInvalid && local.Version > 0)
        {
            // The copy is newer than the server (a server started afresh): its library replaces ours whole.
            var everything = await client.GetFeatureLibraryAsync(0, ct);
            var library = FeatureLibrary.Empty.Apply(FeatureText.ParseDelta(everything.Delta));
            store.Save(library);
            return library;
        }
    }

    /// <summary>
    /// Applies a <c>libraryUpdated</c> event when it starts at or before the stored version; otherwise (an update was
    /// missed) fetches the changes since the stored version.
    /// </summary>
    public static async Task<FeatureLibrary> ApplyAsync(this LocalFeatureStore store, LibraryUpdatedEvent update, ParleyClient client, CancellationToken ct = default)
    {
        var local = store.Load();
        if (update.From <= local.Version) return store.Apply(FeatureText.ParseDelta(update.Delta));
        return await store.SyncAsync(client, ct);
    }
}
