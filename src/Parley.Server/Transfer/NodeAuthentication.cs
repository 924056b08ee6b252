using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Parley.Core.Problems;
using Parley.Server.Hosting;
using Parley.Server.Problems;
using Parley.Server.Storage;

namespace Parley.Server.Transfer;

/// <summary>
/// The node key: the shared secret of node-to-node calls. A node reads it from configuration; a node that is only
/// called generates it once into the shared database, so every node of a cluster holds the same key, and keeps a copy
/// in <c>&lt;data&gt;/node.key</c> for its operator to hand to edges and to nodes on other databases.
/// </summary>
public sealed class NodeKey
{
    private const string SecretName = "node-key";

    public NodeKey(IOptions<ParleyOptions> options, IServiceScopeFactory scopes, TimeProvider clock, ILogger<NodeKey> log)
    {
        var configured = options.Value.Nodes.Key;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            Value = configured.Trim();
            return;
        }
        // A node that calls another must hold the key that node generated; only a node that is only called may generate one.
        var calls = options.Value.Role is NodeRole.Edge or NodeRole.Broadcast || options.Value.Role == NodeRole.Upload && options.Value.Broadcast.BroadcastUrl is not null;
        if (calls)
            throw new InvalidOperationException("This node calls another node and needs its key: set Parley:Nodes:Key (parley serve --node-key).");
        var path = Path.Combine(options.Value.DataDirectory, "node.key");
        // A data folder from before the key moved into the database keeps the key its edges were given.
        var earlier = File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        using (var scope = scopes.CreateScope())
            Value = scope.ServiceProvider.GetRequiredService<ParleyDbContext>()
                .GetOrAdd(SecretName, () => earlier ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), clock);
        if (earlier == Value) return;
        PrivateFile.Write(path, Value);
        log.LogInformation("Wrote the deployment's node key to {Path} for the nodes that call this one.", path);
    }

    public string Value { get; }

    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(Value)));
}

/// <summary>Authenticates <c>Authorization: ParleyNode &lt;key&gt;</c> on the node endpoints.</summary>
public sealed class NodeAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, NodeKey key)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ParleyNode";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith(SchemeName + " ", StringComparison.Ordinal)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!key.Matches(header[(SchemeName.Length + 1)..].Trim())) return Task.FromResult(AuthenticateResult.Fail("Wrong node key."));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Role, "node")], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problem.WriteAsync(Context, new Refusal(ProblemCodes.NodeUnauthorized, "Node calls need the central node's key."));
}
