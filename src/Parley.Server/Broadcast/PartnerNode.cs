using Parley.Core.Transfer;
using Parley.Server.Hosting;

namespace Parley.Server.Broadcast;

/// <summary>
/// When the roles run apart, the web page one node serves sends half of each broadcast to the other
/// node (docs/broadcast.md), so that node's origin may call this one (CORS) and this node's page may
/// connect to it (its Content-Security-Policy). Tokens travel in the Authorization header, never in
/// cookies: allowing the partner's origin lets its page do nothing its script could not already do
/// with the token it holds.
/// </summary>
public static class PartnerNode
{
    private const string CorsPolicy = "partner-node";

    /// <summary>The origin of the node playing the other role, when this node plays one role and knows where the other is.</summary>
    public static string? Origin(ParleyOptions options) => options.Role switch
    {
        NodeRole.Upload => OriginOf(options.Broadcast.BroadcastUrl),
        NodeRole.Broadcast => OriginOf(options.Broadcast.UploadUrl),
        _ => null,
    };

    private static string? OriginOf(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.GetLeftPart(UriPartial.Authority) : null;

    public static void AddPartnerCors(this IServiceCollection services, ParleyOptions options)
    {
        if (Origin(options) is not { } origin) return;
        // tus answers with the upload's address and offsets in headers, which a cross-origin page sees only when exposed.
        services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy.WithOrigins(origin).AllowAnyHeader().AllowAnyMethod()
            .WithExposedHeaders("Location", TusProtocol.UploadOffsetHeader, TusProtocol.UploadLengthHeader, TusProtocol.ResumableHeader)));
    }

    public static void UsePartnerCors(this WebApplication app, ParleyOptions options)
    {
        if (Origin(options) is not null) app.UseCors(CorsPolicy);
    }

    /// <summary>The page's connect-src: itself, and the partner node when there is one.</summary>
    public static string ConnectSources(ParleyOptions options) => Origin(options) is { } origin ? $"'self' {origin}" : "'self'";
}
