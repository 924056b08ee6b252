using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Parley.Cli.Session;
using Parley.Core.Json;
using Spectre.Console;

namespace Parley.Cli.Output;

/// <summary>
/// Everything a client command prints. With <c>--json</c>: one compact JSON object per line on stdout
/// for every result, event and error, for scripts. Without: friendly text, errors on stderr. Writes are
/// serialized because live events arrive on other threads.
/// </summary>
internal sealed class CliOutput(bool json)
{
    /// <summary>The wire's JSON shape, without escaping quotes and non-ASCII letters that scripts and people read as they are.</summary>
    private static readonly JsonSerializerOptions JsonLines = new(ParleyJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Lock _writing = new();

    public bool Json { get; } = json;

    /// <summary>Prints a command's result: as JSON, or through <paramref name="human"/>.</summary>
    public void Result<T>(T value, Action<T> human) where T : notnull
    {
        lock (_writing)
        {
            if (Json) WriteJsonLine(value);
            else human(value);
        }
    }

    /// <summary>Prints a live event as <c>{"type":…,"data":…}</c>, or as <paramref name="humanMarkup"/> (Spectre markup).</summary>
    public void Event(string type, object data, string humanMarkup) =>
        Result(new LiveEventLine(type, data), _ => AnsiConsole.MarkupLine(humanMarkup));

    /// <summary>Progress for a person (listening, reconnecting): on stderr, so stdout stays results only.</summary>
    public void Status(string text)
    {
        lock (_writing) Console.Error.WriteLine(text);
    }

    public void Error(CliFailure failure)
    {
        lock (_writing)
        {
            if (Json) WriteJsonLine(new ErrorLine(new ErrorBody(failure.Status, failure.Code, failure.Detail)));
            else Console.Error.WriteLine($"error: {HumanText.Clean(failure.Detail)} ({failure.Code})");
        }
    }

    private static void WriteJsonLine(object value) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(value, value.GetType(), JsonLines));

    private sealed record LiveEventLine(string Type, object Data);

    private sealed record ErrorLine(ErrorBody Error);

    private sealed record ErrorBody(
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Status, string Code, string Detail);
}
