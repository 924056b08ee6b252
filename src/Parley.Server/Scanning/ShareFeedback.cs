using Parley.Core.Scanning;
using Parley.Core.Scanning.Features;
using Parley.Server.Storage;

namespace Parley.Server.Scanning;

/// <summary>
/// The feedback step (SPEC §3, step 5): from each payload the structural checks found in a blocked file (the bytes
/// after its end marker, the data of private PNG chunks), derive features and publish them as a new library version,
/// which every connected client receives live; the next carrier of the same payload is then caught on the device.
/// Payloads are derived from whatever detector blocked the file: a ClamAV match on a picture whose payload the
/// structure checks isolated teaches the clients that payload.
/// </summary>
public sealed class ShareFeedback(FeatureLibraryService library, ILogger<ShareFeedback> log)
{
    /// <summary>Larger payloads are not derived from: a hash of the whole is all a feature could hold, and reading it costs memory.</summary>
    public const int MaxPayloadBytes = 16 * 1024 * 1024;

    /// <returns>The features published (none when every derived feature was already in the library).</returns>
    public async Task<IReadOnlyList<Feature>> LearnAsync(ParleyDbContext db, ShareVerdict verdict, Stream content, IReadOnlyList<ByteRange> payloads, CancellationToken ct)
    {
        var reason = $"Payload of a share the server blocked ({string.Join(", ", verdict.Findings.Select(f => f.Code).Distinct())}).";
        var derived = new List<Feature>();
        foreach (var payload in payloads)
        {
            if (payload.Length > MaxPayloadBytes)
            {
                log.LogWarning("A payload of {Length} bytes in blocked {VerdictId} is too large to derive features from.", payload.Length, verdict.Id);
                continue;
            }
            var bytes = new byte[payload.Length];
            content.Position = payload.Start;
            await content.ReadExactlyAsync(bytes, ct);
            derived.AddRange(FeatureDerivation.FromPayload(bytes, reason));
        }
        var known = (await library.CurrentAsync(db, ct)).Features.Select(f => f.Feature.Name).ToHashSet(StringComparer.Ordinal);
        var fresh = derived.DistinctBy(f => f.Name).Where(f => !known.Contains(f.Name)).ToList();
        if (fresh.Count > 0) await library.PublishAsync(db, fresh, publishedBy: $"verdict {verdict.Id}", ct);
        return fresh;
    }
}
