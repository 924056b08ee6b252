using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Parley.Server.Hosting;
using Parley.Server.Scanning;
using Parley.Testing;

namespace Parley.Server.Tests.Hosting;

/// <summary>The shipped appsettings.json and the checks every setting passes at start.</summary>
public sealed class ConfigurationTests
{
    /// <summary>The file beside the binaries: the server's content root, where <c>parley serve</c> reads it.</summary>
    private static readonly string Shipped = Path.Combine(AppContext.BaseDirectory, "appsettings.json");

    [Fact]
    public void The_shipped_appsettings_gives_exactly_the_defaults_of_the_code()
    {
        var configuration = new ConfigurationBuilder().AddJsonFile(Shipped).Build();

        var bound = configuration.GetSection(ParleyOptions.Section).Get<ParleyOptions>();

        Assert.NotNull(bound);
        Assert.Equal(JsonSerializer.Serialize(new ParleyOptions()), JsonSerializer.Serialize(bound));
    }

    [Fact]
    public void The_shipped_appsettings_names_every_setting()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Shipped));

        var written = Keys(file.RootElement.GetProperty(ParleyOptions.Section), ParleyOptions.Section).Order();

        // The scan worker's settings are bound on their own (Parley:Scanning) but ship in the same file.
        var settings = Settings(typeof(ParleyOptions), ParleyOptions.Section).Concat(Settings(typeof(ScanningOptions), ScanningOptions.Section));
        Assert.Equal(settings.Order(), written);
    }

    [Fact]
    public void The_shipped_log_levels_keep_framework_chatter_out_unless_configured()
    {
        var levels = new ConfigurationBuilder().AddJsonFile(Shipped).Build().GetSection("Logging:LogLevel");

        Assert.Equal("Information", levels["Default"]);
        Assert.Equal("Warning", levels["Microsoft.AspNetCore"]);
        Assert.Equal("Warning", levels["Microsoft.EntityFrameworkCore"]);
    }

    public static TheoryData<string, string, string> BadValues() => new()
    {
        { "Parley:DataDirectory", " ", "The Parley:DataDirectory field is required." },
        { "Parley:Role", "7", "Parley:Role" },
        { "Parley:CentralUrl", "ftp://central.example", "The field Parley:CentralUrl must be an absolute http:// or https:// address." },
        { "Parley:Storage:BusyTimeout", "00:00:00.500", "The field Parley:Storage:BusyTimeout must be between 00:00:01 and 01:00:00." },
        { "Parley:Nodes:Key", "short", "Parley:Nodes:Key" },
        { "Parley:Transfer:MaxBlobBytes", "0", "The field Parley:Transfer:MaxBlobBytes must be between 1 and" },
        { "Parley:Transfer:UploadExpiry", "-00:00:01", "The field Parley:Transfer:UploadExpiry must be between" },
        { "Parley:Transfer:CollectEvery", "00:00:00", "The field Parley:Transfer:CollectEvery must be between 00:00:00.0010000 and 30.00:00:00." },
        { "Parley:Transfer:StrayFileGrace", "-00:01:00", "The field Parley:Transfer:StrayFileGrace must be between" },
        { "Parley:Transfer:MaxOpenUploads", "0", "The field Parley:Transfer:MaxOpenUploads must be between" },
        { "Parley:Passphrase:AnswerTimeout", "00:00:00", "The field Parley:Passphrase:AnswerTimeout must be between" },
        { "Parley:Passphrase:ConfirmTimeout", "00:01:00", "The field Parley:Passphrase:ConfirmTimeout must be longer than Parley:Passphrase:AnswerTimeout." },
        { "Parley:Passphrase:MaxClaims", "-3", "The field Parley:Passphrase:MaxClaims must be between" },
        { "Parley:Broadcast:KeyRotation", "00:00:10", "The field Parley:Broadcast:KeyRotation must be between 00:01:00 and" },
        { "Parley:Broadcast:MaxConcurrentDecodes", "1000", "The field Parley:Broadcast:MaxConcurrentDecodes must be between 1 and 256." },
        { "Parley:Broadcast:UploadUrl", "not a url", "The field Parley:Broadcast:UploadUrl must be an absolute http:// or https:// address." },
        { "Parley:Limits:MaxRequestBodyBytes", "100", "The field Parley:Limits:MaxRequestBodyBytes must be between 1024 and" },
        { "Parley:SignIn:Window", "00:00:00", "The field Parley:SignIn:Window must be between" },
        { "Parley:Sessions:Lifetime", "00:00:30", "The field Parley:Sessions:Lifetime must be between 00:01:00 and" },
        { "Parley:Rates:MessageBurst", "0", "The field Parley:Rates:MessageBurst must be between" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_setting_out_of_range_stops_the_start_with_a_message_naming_it(string setting, string value, string message)
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningServer.StartAsync(new Dictionary<string, string> { [setting] = value }));

        var failure = Assert.Single(refused.Failures);
        Assert.Contains(message, failure);
        Assert.Contains(setting, failure);
    }

    [Fact]
    public async Task Every_bad_setting_is_reported_at_once()
    {
        var refused = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningServer.StartAsync(new Dictionary<string, string>
        {
            ["Parley:Transfer:MaxOpenUploads"] = "0",
            ["Parley:Rates:RequestBurst"] = "-1",
        }));

        Assert.Equal(2, refused.Failures.Count());
        Assert.Contains("Parley:Transfer:MaxOpenUploads", refused.Message);
        Assert.Contains("Parley:Rates:RequestBurst", refused.Message);
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_is_refused_naming_the_setting()
    {
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            RunningServer.StartAsync(new Dictionary<string, string> { ["Parley:Transfer:MaxOpenUploads"] = "many" }));

        Assert.Contains("Parley:Transfer:MaxOpenUploads", refused.Message);
    }

    /// <summary>The configuration keys of every leaf setting, from the options classes themselves.</summary>
    private static IEnumerable<string> Settings(Type options, string prefix) =>
        options.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).SelectMany(property =>
            property.PropertyType.IsClass && property.PropertyType.Namespace?.StartsWith("Parley", StringComparison.Ordinal) == true
                ? Settings(property.PropertyType, $"{prefix}:{property.Name}")
                : [$"{prefix}:{property.Name}"]);

    private static IEnumerable<string> Keys(JsonElement section, string prefix) =>
        section.EnumerateObject().SelectMany(property => property.Value.ValueKind == JsonValueKind.Object
            ? Keys(property.Value, $"{prefix}:{property.Name}")
            : [$"{prefix}:{property.Name}"]);
}
