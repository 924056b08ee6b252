using Parley.Client.Views;

namespace Parley.Client;

/// <summary>Authentic view counts (docs/views.md): playing videos with verifiable reports, and reading the counts.</summary>
public sealed partial class ParleyClient
{
    private ViewsClient? _views;

    /// <summary>The views API of this client; its device key is <see cref="Scanning"/>'s unless <see cref="ViewsClient.DeviceKey"/> is set.</summary>
    public ViewsClient Views => _views ??= new ViewsClient(this);

    internal Task<T> GetJsonAsync<T>(string path, CancellationToken ct) => GetAsync<T>(path, ct);

    internal Task<T> PostJsonAsync<T>(string path, object? body, CancellationToken ct) => PostAsync<T>(path, body, ct);

    internal static string PathSegment(string value) => Segment(value);
}
