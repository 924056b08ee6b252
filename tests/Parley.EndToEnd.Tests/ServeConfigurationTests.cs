namespace Parley.EndToEnd.Tests;

/// <summary><c>parley serve</c> configured the way containers and service managers do it: from the environment.</summary>
public sealed class ServeConfigurationTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"parley-e2e-env-{Guid.NewGuid():N}");

    [Fact]
    public async Task Address_data_folder_and_log_levels_come_from_the_environment_when_the_command_line_names_none()
    {
        var address = new Uri($"http://127.0.0.1:{ServerProcess.FreePort()}/");
        using var server = await ServerProcess.StartFromEnvironmentAsync(address, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/'),
            ["Parley__DataDirectory"] = _data,
            // Quietened by default; a level configured for the category is obeyed.
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information",
        });

        Assert.True(File.Exists(Path.Combine(_data, "parley.db")));
        await server.WaitForOutputAsync($"Parley is serving the web client at {address.ToString().TrimEnd('/')}");
        using var http = new HttpClient { BaseAddress = address };
        await http.GetAsync("/api/discovery");
        await server.WaitForOutputAsync("Request finished HTTP/1.1 GET " + new Uri(address, "/api/discovery"));
    }

    public void Dispose()
    {
        if (Directory.Exists(_data)) Directory.Delete(_data, recursive: true);
    }
}
