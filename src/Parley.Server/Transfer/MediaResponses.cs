using Parley.Core.Problems;
using Parley.Server.Problems;

namespace Parley.Server.Transfer;

/// <summary>What <c>/api/media</c> and a play's stream (docs/views.md) answer alike: the same refusals, and the same guard on user bytes.</summary>
public static class MediaResponses
{
    public static readonly Refusal NotFound = new(ProblemCodes.MediaNotFound, "No such media in the rooms you are in.");

    public static readonly Refusal Quarantined =
        new(ProblemCodes.MediaQuarantined, "This media was quarantined: a newer feature library matched it. An operator may release it.");

    /// <summary>User-supplied bytes never get a chance to run as a page of this origin: no sniffing, a sandbox policy.</summary>
    public static void Guard(HttpResponse response)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "sandbox";
    }
}
