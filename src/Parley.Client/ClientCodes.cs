namespace Parley.Client;

/// <summary>
/// Codes the client gives a <see cref="ParleyApiException"/> when the server's answer carries none
/// of its own (a proxy's error page, a server that is not Parley).
/// </summary>
public static class ClientCodes
{
    /// <summary>A success status whose body is not the JSON the API promises.</summary>
    public const string InvalidResponse = "client.invalid_response";

    /// <summary>A failure status without problem details: <c>http.502</c>, <c>http.404</c>, …</summary>
    public static string ForStatus(int status) => $"http.{status}";
}
