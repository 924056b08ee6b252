using System.Text.Json;

namespace Parley.EndToEnd.Tests;

/// <summary>What one finished <c>parley</c> command did.</summary>
internal sealed record CliRun(string[] Args, int ExitCode, string StdOut, string StdErr)
{
    /// <summary>The <c>--json</c> lines of stdout, one object each.</summary>
    public IReadOnlyList<JsonElement> JsonLines() =>
        StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToList();

    public JsonElement Json() => Assert.Single(JsonLines());

    public CliRun Succeeded()
    {
        Assert.True(ExitCode == 0, $"{this} should have succeeded.");
        return this;
    }

    /// <summary>Asserts the <c>--json</c> failure shape: exit code 1 and one error object with this code.</summary>
    public JsonElement FailedWith(string code)
    {
        Assert.True(ExitCode == 1, $"{this} should have failed with exit code 1.");
        var error = Json().GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("detail").GetString()));
        return error;
    }

    public override string ToString() => $"parley {string.Join(' ', Args)} (exit {ExitCode})\nstdout: {StdOut}\nstderr: {StdErr}";
}
