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
        services.AddOptions<ViewRules>().Bind(configuration.GetSection(Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ViewRules>, RulesCheck>();
        services.AddSingleton(provider => new PlayJudge(provider.GetRequiredService<IOptions<ViewRules>>().Value));
        services.AddSingleton<ViewKey>();
        services.AddSingleton<VideoFactsStore>();
        services.AddScoped<PlayStarter>();
        services.AddScoped<PlayReports>();
        services.AddScoped<PlayFinisher>();
        services.AddScoped<ViewQueries>();
        return services;
    }

    /// <summary>Core's own checks of the rules, each named as the operator sets it (<c>Parley:Views:Tolerance must …</c>).</summary>
    private sealed class RulesCheck : IValidateOptions<ViewRules>
    {
        public ValidateOptionsResult Validate(string? name, ViewRules options) => options.Problems() is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail(problems.Select(p => $"{Section}:{p}"))
            : ValidateOptionsResult.Success;
    }
}
