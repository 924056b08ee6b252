using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Parley.Core.Json;
using Parley.Core.Realtime;
using Parley.Server.Accounts;
using Parley.Server.ApiDocs;
using Parley.Server.Broadcast;
using Parley.Server.Bus;
using Parley.Server.Messaging;
using Parley.Server.Passphrase;
using Parley.Server.Problems;
using Parley.Server.Realtime;
using Parley.Server.Rooms;
using Parley.Server.Scanning;
using Parley.Server.Storage;
using Parley.Server.Transfer;
using Parley.Server.Views;

namespace Parley.Server.Hosting;

/// <summary>
/// Builds the whole server: HTTP API, live hub, web client, embedded storage. `parley serve` and the
/// tests both start it through here, so tests exercise the same pipeline users run.
/// </summary>
public static class ParleyServer
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <param name="args">Configuration arguments (<c>--urls</c>, <c>--Parley:DataDirectory</c>, …).</param>
    /// <param name="configure">Last-word changes to the builder, e.g. a test's clock or limits.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The web client ships beside the binaries; resolve it there whatever the working directory.
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (string.IsNullOrEmpty(builder.Configuration["urls"])) builder.WebHost.UseUrls(DefaultUrl);
        AddServices(builder);
        configure?.Invoke(builder);

        var app = builder.Build();
        PrepareStorage(app);
        UsePipeline(app);
        return app;
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ParleyOptions>().Bind(builder.Configuration.GetSection(ParleyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ParleyOptions>, ParleyOptionsValidator>();
        // Checked here as well as on start: the services below are built from these values.
        var options = ParleyOptionsValidator.Checked(builder.Configuration.GetSection(ParleyOptions.Section).Get<ParleyOptions>() ?? new ParleyOptions());
        var dataDirectory = Path.GetFullPath(options.DataDirectory);
        var mediaDirectory = Path.GetFullPath(string.IsNullOrWhiteSpace(options.Storage.MediaDirectory) ? dataDirectory : options.Storage.MediaDirectory);
        services.PostConfigure<ParleyOptions>(o =>
        {
            o.DataDirectory = dataDirectory;
            o.Storage.MediaDirectory = mediaDirectory;
        });

        services.AddSingleton(TimeProvider.System);
        builder.AddParleyTelemetry(options);
        services.AddParleyStorage(StoreConnection.Resolve(options.Storage.ConnectionString, dataDirectory), options.Storage.BusyTimeout);

        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddParleyRateLimits();
        services.AddScoped<AccountSignInThrottle>();

        services.AddParleyProblemDetails();
        services.ConfigureHttpJsonOptions(json => ParleyJson.Configure(json.SerializerOptions));
        var signalR = services.AddSignalR().AddJsonProtocol(json => ParleyJson.Configure(json.PayloadSerializerOptions));
        services.AddParleyOpenApi();
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxRequestBodyBytes);

        services.AddSingleton<SessionCache>();
        services.AddSingleton<RoomMembership>();
        services.AddSingleton<LiveNotifier>();
        services.AddSingleton<LiveConnections>();
        services.AddSingleton<PresenceNode>();
        services.AddScoped<Presence>();
        services.AddHostedService<PresenceLeases>();
        AddBus(services, signalR, options);
        services.AddScoped<MessagePosting>();
        services.AddScoped<MessageChanges>();
        AddTransfer(services, options);
        AddBroadcast(services, options);
        services.AddPartnerCors(options);
        services.AddScoped<PassphraseRelay>();
        services.AddSingleton<PakeDeadlines>();
        services.AddHostedService(provider => provider.GetRequiredService<PakeDeadlines>());
        services.AddParleyScanning(builder.Configuration);
        services.AddParleyViews(builder.Configuration);
    }

    /// <summary>
    /// How nodes push to each other (docs/deployment.md): with Redis, SignalR's Redis backplane carries
    /// live events and <see cref="RedisBus"/> the rest; an upload/broadcast pair without Redis posts both
    /// to its peer; a lone node keeps them in process.
    /// </summary>
    private static void AddBus(IServiceCollection services, ISignalRServerBuilder signalR, ParleyOptions options)
    {
        services.AddHostedService<BusSubscriptions>();
        if (options.Bus.Connection is { } connection)
        {
            var redis = RedisAddress.Parse(connection);
            signalR.AddStackExchangeRedis(backplane =>
            {
                backplane.Configuration = redis.Clone();
                backplane.Configuration.ChannelPrefix = StackExchange.Redis.RedisChannel.Literal("parley.hub");
            });
            services.AddSingleton<NodeBus>(provider => new RedisBus(redis.Clone(), provider.GetRequiredService<ILogger<RedisBus>>()));
            return;
        }
        var peer = options.Role switch
        {
            NodeRole.Upload => options.Broadcast.BroadcastUrl,
            NodeRole.Broadcast => options.Broadcast.UploadUrl,
            _ => null,
        };
        if (peer is null)
        {
            services.AddSingleton<NodeBus, LocalBus>();
            return;
        }
        services.AddHttpClient(PeerBus.PeerClient, (provider, http) => ConfigureNodeClient(http, provider, peer));
        services.AddSingleton<NodeBus, PeerBus>();
        services.AddSingleton<HubLifetimeManager<ParleyHub>, PeerHubLifetimeManager>();
    }

    /// <summary>Deduplicated transfer; an edge also gets its client for the central node.</summary>
    private static void AddTransfer(IServiceCollection services, ParleyOptions options)
    {
        services.AddSingleton<ChunkStore>();
        services.AddSingleton<ExpectedProofs>();
        services.AddSingleton<TransferMetrics>();
        services.AddSingleton<NodeKey>();
        services.AddScoped<TransferService>();
        services.AddScoped<TransferQuotas>();
        services.AddSingleton<BlobCollector>();
        services.AddHostedService(provider => provider.GetRequiredService<BlobCollector>());
        services.AddAuthentication().AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, NodeAuthenticationHandler>(NodeAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(NodeEndpoints.Policy, policy => policy
            .AddAuthenticationSchemes(NodeAuthenticationHandler.SchemeName).RequireRole("node"));

        if (options.Role == NodeRole.Edge)
        {
            if (!Uri.TryCreate(options.CentralUrl, UriKind.Absolute, out var central))
                throw new InvalidOperationException("An edge node needs --central-url (Parley:CentralUrl), the central node's address.");
            services.AddHttpClient<ICentralTier, CentralClient>((provider, http) =>
            {
                http.BaseAddress = new Uri(central.ToString().TrimEnd('/') + "/");
                http.DefaultRequestHeaders.Authorization = new(NodeAuthenticationHandler.SchemeName, provider.GetRequiredService<NodeKey>().Value);
                http.Timeout = Timeout.InfiniteTimeSpan; // blob fetches stream for as long as they need
            });
        }
        else
        {
            services.AddSingleton<ICentralTier, NoCentralTier>();
        }
    }

    /// <summary>
    /// Signed picture broadcast. In one process both roles are direct calls; a broadcast node asks its
    /// upload node over HTTP, and an upload node pushes tickets to its broadcast node.
    /// </summary>
    private static void AddBroadcast(IServiceCollection services, ParleyOptions options)
    {
        var settings = options.Broadcast;
        services.AddSingleton<TicketStore>();
        services.AddSingleton<Thumbnails>();
        services.AddSingleton<BroadcastMetrics>();
        services.AddScoped<BroadcastService>();

        if (options.Role == NodeRole.Broadcast)
        {
            if (!Uri.TryCreate(settings.UploadUrl, UriKind.Absolute, out _))
                throw new InvalidOperationException("A broadcast node needs --upload-url (Parley:Broadcast:UploadUrl), its upload node's address.");
            services.AddHttpClient<ITicketAuthority, RemoteTicketAuthority>((provider, http) => ConfigureNodeClient(http, provider, settings.UploadUrl!));
            services.AddScoped<ITicketIssuer, NoTicketIssuer>();
            services.AddSingleton<ITicketPush, NoTicketPush>();
            return;
        }

        services.AddSingleton<TicketKeys>();
        services.AddSingleton<ITicketAuthority, LocalTicketAuthority>();
        services.AddScoped<ITicketIssuer, TicketIssuer>();
        if (options.Bus.Connection is not null) services.AddSingleton<ITicketPush, BusTicketPush>();
        else if (options.Role != NodeRole.Upload) services.AddSingleton<ITicketPush, LocalTicketPush>();
        else if (settings.BroadcastUrl is { } url) services.AddHttpClient<ITicketPush, RemoteTicketPush>((provider, http) => ConfigureNodeClient(http, provider, url));
        else services.AddSingleton<ITicketPush, NoTicketPush>();
    }

    private static void ConfigureNodeClient(HttpClient http, IServiceProvider provider, string url)
    {
        http.BaseAddress = new Uri(url.TrimEnd('/') + "/");
        http.DefaultRequestHeaders.Authorization = new(NodeAuthenticationHandler.SchemeName, provider.GetRequiredService<NodeKey>().Value);
        http.Timeout = Timeout.InfiniteTimeSpan; // picture fetches stream for as long as they need
    }

    /// <summary>Creates the data folder (owner-only) on first start and brings the database schema up to date.</summary>
    private static void PrepareStorage(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ParleyOptions>>().Value;
        DataFolder.Prepare(options.DataDirectory);
        // Created after the umask is set, so a media folder of its own is owner-only too.
        Directory.CreateDirectory(options.Storage.MediaDirectory!);
        using (var scope = app.Services.CreateScope())
            StorageSetup.Migrate(scope.ServiceProvider.GetRequiredService<ParleyDbContext>());
        // The node key and the ticket signing key exist from the first start, as documented (the operator hands the
        // node key to other nodes); a node that calls others without a key fails here rather than on its first call.
        app.Services.GetRequiredService<NodeKey>();
        if (options.Role.IssuesTickets()) app.Services.GetRequiredService<TicketKeys>();
    }

    private static void UsePipeline(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ParleyOptions>>().Value;
        app.UseParleyTelemetry();
        app.UseParleyProblemDetails();
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = file =>
            {
                var headers = file.Context.Response.Headers;
                // Revalidate every time (cheap with ETags) so an upgraded server never serves a mix of old and new modules.
                headers.CacheControl = "no-cache";
                // The page has no inline script or style; media is shown from blob: URLs it fetched itself.
                headers.ContentSecurityPolicy = $"default-src 'self'; connect-src {PartnerNode.ConnectSources(options)}; img-src 'self' blob: data:; media-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
                headers.XContentTypeOptions = "nosniff";
            },
        });
        app.UsePartnerCors(options);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        var role = options.Role;
        app.MapParleyApiDocs();
        app.MapHub<ParleyHub>(LiveEvents.HubPath);
        app.MapAccountEndpoints();
        app.MapRoomEndpoints();
        app.MapMessageEndpoints();
        app.MapTransferEndpoints();
        app.MapTusEndpoints();
        app.MapPassphraseEndpoints();
        app.MapBroadcastEndpoints(role);
        if (role != NodeRole.Edge) app.MapNodeEndpoints();
        app.MapBusEndpoints();
        app.MapScanningEndpoints();
        app.MapViewsEndpoints();
    }
}
