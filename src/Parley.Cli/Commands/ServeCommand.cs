using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using System.CommandLine;
using Parley.Server.Hosting;
using Parley.Server.Transfer;

namespace Parley.Cli.Commands;

/// <summary>
/// <c>parley serve</c>: by default every role in one process, embedded storage, the web client; or one
/// tier of deduplicated transfer (SPEC §1): a central node, or an edge that asks a central node for content
/// it lacks; or one role of signed picture broadcast (SPEC §2): the upload node that issues tickets, or the
/// broadcast node that verifies them (the two share the database).
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var options = new ServeOptions();
        var command = new Command("serve",
            "Start the Parley server with embedded storage and the web client. Any other setting passes through as --Section:Key VALUE, " +
            "e.g. --Parley:Transfer:MaxBlobBytes 1000000000.");
        foreach (var option in options.All) command.Options.Add(option);
        command.TreatUnmatchedTokensAsErrors = false;
        command.Validators.Add(options.Validate);
        command.SetAction((result, ct) => RunAsync(options.Settings(result), result.UnmatchedTokens, ct));
        return command;
    }

    private static async Task<int> RunAsync(List<string> settings, IReadOnlyList<string> unmatched, CancellationToken ct)
    {
        if (!TryPassThrough(unmatched, settings, out var error))
        {
            Console.Error.WriteLine($"error: {error}");
            return 1;
        }
        var (app, problem) = await BuildAsync(settings);
        if (app is null)
        {
            Console.Error.WriteLine($"error: {problem}");
            return 1;
        }
        // Whatever the log levels, the operator learns where to point a browser.
        app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine($"Parley is serving the web client at {string.Join(", ", app.Urls)}"));
        // The IHost overload: stops on Ctrl+C / SIGTERM as well as on the command's cancellation.
        await HostingAbstractionsHostExtensions.RunAsync(app, ct);
        return 0;
    }

    /// <summary>
    /// Builds the server and checks now, rather than at its first node call, what its role needs: a central
    /// writes <c>&lt;data&gt;/node.key</c> for its operator to hand out, and a node that calls another without
    /// the key (or an edge without its central's address) refuses to start, with a sentence instead of a stack trace.
    /// </summary>
    private static async Task<(WebApplication? App, string? Problem)> BuildAsync(List<string> settings)
    {
        WebApplication? app = null;
        try
        {
            app = ParleyServer.Build([.. settings]);
            if (app.Services.GetRequiredService<IOptions<ParleyOptions>>().Value.Role != NodeRole.All) app.Services.GetRequiredService<NodeKey>();
            return (app, null);
        }
        catch (Exception e) when (e is InvalidOperationException or OptionsValidationException)
        {
            // A setting out of range (OptionsValidationException) or of the wrong type (the binder's InvalidOperationException) names itself.
            if (app is not null) await app.DisposeAsync();
            return (null, e.Message);
        }
    }

    /// <summary>
    /// Appends <c>--Section:Key VALUE</c> pairs (or <c>--Section:Key=VALUE</c>) after the options', so they win; anything
    /// else (a mistyped option, a stray word) is refused rather than silently ignored by the configuration.
    /// </summary>
    private static bool TryPassThrough(IReadOnlyList<string> tokens, List<string> settings, out string? error)
    {
        error = null;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal) || !token.Contains(':'))
            {
                error = $"Unrecognized option or argument '{token}'. Settings pass through as --Section:Key VALUE.";
                return false;
            }
            settings.Add(token);
            if (token.Contains('=')) continue;
            if (i + 1 == tokens.Count)
            {
                error = $"{token} needs a value.";
                return false;
            }
            settings.Add(tokens[++i]);
        }
        return true;
    }
}
