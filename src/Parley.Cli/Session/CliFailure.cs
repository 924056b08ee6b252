using Parley.Client;
using Parley.Client.Views;

namespace Parley.Cli.Session;

/// <summary>One failure as the user sees it: the server's status if it answered, a stable code, and a sentence.</summary>
internal sealed record CliFailure(int? Status, string Code, string Detail)
{
    /// <summary>The failures a command can expect; anything else is a bug and keeps its stack trace.</summary>
    public static CliFailure? From(Exception exception, Uri? server) => exception switch
    {
        ParleyApiException e => new(e.Status, e.Code, e.Detail ?? e.Title),
        CliException e => new(null, e.Code, e.Message),
        ViewKeyPinException e => new(null, e.Code, e.Message),
        LiveConnectionLostException e => new(null, CliCodes.Disconnected, e.Message),
        HttpRequestException { StatusCode: null } e => new(null, CliCodes.Unreachable, $"Cannot reach the server at {server}: {e.Message}"),
        HttpRequestException { StatusCode: { } status } e => new((int)status, ClientCodes.ForStatus((int)status), e.Message),
        TaskCanceledException { InnerException: TimeoutException } => new(null, CliCodes.Timeout, $"The server at {server} did not answer in time."),
        _ => null,
    };
}
