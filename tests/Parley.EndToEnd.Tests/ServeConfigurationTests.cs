using System.Text.Json;

namespace Parley.EndToEnd.Tests;

/// <summary>
/// <c>parley serve</c> configured the way containers and service managers do it: appsettings beside the binary, then
/// the environment, then the command line, each layer winning over the one before.
/// </summary>
public sealed class ServeConfigurationTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"parley-e2e-env-{Guid.NewGuid():N}");

    // An environment of the test's own: its appsettings.<name>.json sits beside parley.dll (the server's content
    // root) without changing what other tests' servers read from appsettings.json.
    private readonly string _environment = $"ConfigTest{Guid.NewGuid():N}";

    private string Folder(string name) => Path.Combine(_root, name);

    private string EnvironmentSettings => Path.Combine(AppContext.BaseDirectory, $"appsettings.{_environment}.json");

    [Theory]
    [InlineData(new[] { "--role", "bogus" }, "Argument 'bogus' not recognized")]
    [InlineData(new[] { "--role", "edge" }, "An edge needs --central-url")]
    [InlineData(new[] { "--role", "central", "--upload-url", "http://127.0.0.1:1" }, "--upload-url is for --role broadcast.")]
    public async Task A_role_without_what_it_needs_is_refused_with_a_sentence_not_a_stack_trace(string[] args, string message)
    {
        using var process = System.Diagnostics.Process.Start(ParleyProgram.StartInfo(["serve", "--data", Folder("data"), .. args], new Dictionary<string, string>()))!;
        try
        {
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(ParleyProgram.Patience);
            Assert.Equal(1, process.ExitCode);
            Assert.Contains(message, await stderr);
            Assert.DoesNotContain("Unhandled exception", await stderr);
            Assert.False(Directory.Exists(Folder("data")));
        }
        finally
        {
            ParleyProgram.Kill(process);
        }
    }

    [Fact]
    public async Task Address_data_folder_and_log_levels_come_from_the_environment_when_the_command_line_names_none()
    {
        var address = new Uri($"http://127.0.0.1:{FreePorts.Next()}/");
        using var server = await ServerProcess.StartFromEnvironmentAsync(address, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/'),
            ["Parley__DataDirectory"] = Folder("data"),
            // Quietened by the shipped appsettings.json; a level configured for the category is obeyed.
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information",
        });

        Assert.True(File.Exists(Path.Combine(Folder("data"), "parley.db")));
        await AssertRequestsAreLoggedAsync(server, address);
    }

    [Fact]
    public async Task Address_data_folder_and_log_levels_come_from_appsettings()
    {
        var address = new Uri($"http://127.0.0.1:{FreePorts.Next()}/");
        WriteEnvironmentSettings(new
        {
            Urls = address.ToString().TrimEnd('/'),
            Logging = new { LogLevel = new Dictionary<string, string> { ["Microsoft.AspNetCore"] = "Information" } },
            Parley = new { DataDirectory = Folder("data") },
        });

        using var server = await ServerProcess.StartFromEnvironmentAsync(address, new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = _environment });

        Assert.True(File.Exists(Path.Combine(Folder("data"), "parley.db")));
        await AssertRequestsAreLoggedAsync(server, address);
    }

    [Fact]
    public async Task The_environment_overrides_appsettings_and_the_command_line_overrides_both()
    {
        WriteEnvironmentSettings(new { Parley = new { DataDirectory = Folder("from-appsettings"), Storage = new { MediaDirectory = Folder("media-from-appsettings") } } });

        using var server = await ServerProcess.StartAsync(FreePorts.Next(), Folder("from-command-line"), new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = _environment,
            ["Parley__DataDirectory"] = Folder("from-environment"),
            ["Parley__Storage__MediaDirectory"] = Folder("media-from-environment"),
        });

        // The data folder is named by all three layers, the media folder by the first two.
        Assert.True(File.Exists(Path.Combine(Folder("from-command-line"), "parley.db")));
        Assert.False(Directory.Exists(Folder("from-environment")));
        Assert.False(Directory.Exists(Folder("from-appsettings")));
        Assert.True(Directory.Exists(Folder("media-from-environment")));
        Assert.False(Directory.Exists(Folder("media-from-appsettings")));
    }

    [Fact]
    public async Task A_setting_out_of_range_stops_serve_with_a_sentence_naming_it()
    {
        using var operatorAtTerminal = new CliUser("operator", new Uri("http://127.0.0.1:1/"));

        var run = await operatorAtTerminal.RunAsync("serve", "--urls", $"http://127.0.0.1:{FreePorts.Next()}", "--data", Folder("data"),
            "--Parley:Transfer:CollectEvery", "00:00:00");

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.StartsWith("error: ", run.StdErr);
        Assert.Contains("The field Parley:Transfer:CollectEvery must be between", run.StdErr);
        Assert.DoesNotContain("   at ", run.StdErr);
        Assert.False(Directory.Exists(Folder("data")));
    }

    private static async Task AssertRequestsAreLoggedAsync(ServerProcess server, Uri address)
    {
        await server.WaitForOutputAsync($"Parley is serving the web client at {address.ToString().TrimEnd('/')}");
        using var http = new HttpClient { BaseAddress = address };
        await http.GetAsync("/api/discovery");
        await server.WaitForOutputAsync("Request finished HTTP/1.1 GET " + new Uri(address, "/api/discovery"));
    }

    private void WriteEnvironmentSettings(object settings) => File.WriteAllText(EnvironmentSettings, JsonSerializer.Serialize(settings));

    public void Dispose()
    {
        File.Delete(EnvironmentSettings);
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
