using Microsoft.AspNetCore.Http.HttpResults;
using Parley.Core.Problems;
using Parley.Core.Transfer;
using Parley.Server.ApiDocs;
using Parley.Server.Problems;

namespace Parley.Server.Transfer;

/// <summary>What a central node answers its edges: "do you have it?" and "send it to me".</summary>
public static class NodeEndpoints
{
    public const string Policy = "node";

    public static void MapNodeEndpoints(this IEndpointRouteBuilder app)
    {
        var nodes = app.MapGroup("/api/nodes").WithTags("Nodes").RequireAuthorization(Policy);
        nodes.MapPost("/blobs/query", Query)
            .WithName("QueryBlob").WithSummary("Does this node have the content? (node)")
            .WithDescription("An edge asks central whether it holds the content, with the sender's ownership challenge; central answers the proof its copy gives.")
            .ProducesProblems(ProblemCodes.TransferInvalidContentId);
        nodes.MapGet("/blobs/{contentId}", Fetch)
            .WithName("FetchBlob").WithSummary("Fetch stored content (node)").WithDescription("Streams the content's bytes to an edge.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/octet-stream")
            .ProducesProblems(ProblemCodes.MediaNotFound);
    }

    private static async Task<Results<Ok<CentralQueryResponse>, ProblemHttpResult>> Query(
        CentralQueryRequest query, TransferService transfers, ExpectedProofs proofs, CancellationToken ct)
    {
        if (!ContentId.TryParse(query.ContentId, out _))
            return new Refusal(ProblemCodes.TransferInvalidContentId, "contentId is sha256: followed by 64 lower-case hex digits.").ToProblem();
        if (OwnershipChallenge.FromDto(query.Challenge, query.Size) is not { } challenge)
            return new Refusal(ProblemCodes.RequestInvalid,
                $"The challenge must have a 32-byte nonce (base64), a block length of 1–{OwnershipChallenge.MaxBlockLength} and 1–{OwnershipChallenge.MaxBlocks} blocks; the size cannot be negative.").ToProblem();

        // A copy whose chunk files cannot be read (collected meanwhile) answers nothing, as on the edge's own tier.
        var chunks = await transfers.BlobChunkList(query.ContentId, query.Size, ct);
        var proof = chunks is null ? null : await proofs.Answer(challenge, chunks, ct);
        return TypedResults.Ok(proof is null ? new CentralQueryResponse(false, null) : new CentralQueryResponse(true, Convert.ToBase64String(proof)));
    }

    private static async Task<IResult> Fetch(string contentId, TransferService transfers, ChunkStore store, CancellationToken ct)
    {
        var size = ContentId.TryParse(contentId, out _) ? await transfers.StoredSize(contentId, ct) : null;
        if (size is null) return new Refusal(ProblemCodes.MediaNotFound, "This node does not have that content.").ToProblem();
        var chunks = await transfers.BlobChunkList(contentId, size.Value, ct);
        return TypedResults.Stream(store.OpenBlob(chunks!), "application/octet-stream");
    }
}
