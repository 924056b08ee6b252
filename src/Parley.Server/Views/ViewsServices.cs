using Microsoft.Extensions.Options;
using Parley.Core.Views;

namespace Parley.Server.Views;

public static class ViewsServices
{
    public const string Section = "Parley:Views";

    /// <summary>
    /// Authentic view counts: <c>Parley:Views</c> bound onto Core's <see cref="ViewRules"/> (checked at start), its
    /// judge, the view key (made on first start, shared by every node), video probing and the play services.
    /// </summary>
    public static IServiceCollection AddParleyViews(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ViewRules>().Bind(configuration.GetSection(Section))
            .Validate(r => r.SealedEvery > TimeSpan.Zero && r.PlainEvery > TimeSpan.Zero, "Parley:Views:SealedEvery and PlainEvery must be positive.")
            .Validate(r => r.Tolerance >= TimeSpan.Zero && r.Tolerance < r.SealedEvery && r.Tolerance < r.PlainEvery,
                "Parley:Views:Tolerance must not be negative and must be shorter than SealedEvery and PlainEvery.")
            .Validate(r => r.MinWatchedShare is > 0 and <= 1, "Parley:Views:MinWatchedShare must be above 0 and at most 1.")
            .ValidateOnStart();
        services.AddSingleton(provider => new PlayJudge(provider.GetRequiredService<IOptions<ViewRules>>().Value));
        services.AddSingleton<ViewKey>();
        services.AddSingleton<VideoFactsStore>();
        services.AddScoped<PlayStarter>();
        services.AddScoped<PlayReports>();
        services.AddScoped<PlayFinisher>();
        services.AddScoped<ViewQueries>();
        return services;
    }
}
