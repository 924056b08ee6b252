using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Parley.Server.Hosting;

/// <summary>
/// Checks every setting against the attributes on <see cref="ParleyOptions"/> when the server starts, and names a
/// bad one the way the operator set it: <c>The field Parley:Transfer:CollectEvery must be between …</c>.
/// </summary>
public sealed partial class ParleyOptionsValidator : IValidateOptions<ParleyOptions>
{
    private readonly AttributeChecks _checks = new();

    public ValidateOptionsResult Validate(string? name, ParleyOptions options)
    {
        // Given the section's name, the generated checks spell each setting Parley.Transfer.CollectEvery.
        var result = _checks.Validate(ParleyOptions.Section, options);
        return result.Failed ? ValidateOptionsResult.Fail(result.Failures.Select(AsSettingName)) : result;
    }

    /// <summary>The options as given, or <see cref="OptionsValidationException"/> listing every bad setting.</summary>
    public static ParleyOptions Checked(ParleyOptions options)
    {
        var result = new ParleyOptionsValidator().Validate(Options.DefaultName, options);
        if (result.Failed) throw new OptionsValidationException(Options.DefaultName, typeof(ParleyOptions), result.Failures);
        return options;
    }

    /// <summary>Drops the member name the result builder puts first ("CollectEvery: …") and writes the path as a configuration key.</summary>
    private static string AsSettingName(string failure) =>
        SettingPath().Replace(MemberPrefix().Replace(failure, ""), path => path.Value.Replace('.', ':'));

    [GeneratedRegex(@"^[\w, ]+: ")]
    private static partial Regex MemberPrefix();

    [GeneratedRegex(@"\bParley(\.\w+)+")]
    private static partial Regex SettingPath();

    /// <summary>Written by the options source generator from the attributes: no reflection, and no drift from them.</summary>
    [OptionsValidator]
    internal sealed partial class AttributeChecks : IValidateOptions<ParleyOptions>;
}

/// <summary>An absolute http:// or https:// address, or nothing: node addresses that HttpClient will be given.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HttpUrlAttribute() : ValidationAttribute("The field {0} must be an absolute http:// or https:// address.")
{
    public override bool IsValid(object? value) =>
        value is null || (value is string text && Uri.TryCreate(text, UriKind.Absolute, out var address) && address.Scheme is "http" or "https");
}
