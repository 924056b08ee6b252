using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Parley.Core.Broadcast;
using Parley.Core.Json;
using Parley.Server.Storage;
using Parley.Server.Transfer;

namespace Parley.Server.Broadcast;

/// <summary>The upload role as the broadcast role sees it: who signs tickets, what was issued, where pictures are.</summary>
public interface ITicketAuthority
{
    Task<ECDsa?> SigningKey(uint id, CancellationToken ct);
    Task<DynamicKey?> DynamicKey(uint id, CancellationToken ct);

    /// <summary>"Ask the upload server for the client's signature" (SPEC §2 step 6): the ticket as issued (with its picture's file name), or null.</summary>
    Task<TicketPushDto?> IssuedTicket(string ticketId, CancellationToken ct);

    Task<Stream> OpenPicture(string contentId, CancellationToken ct);
}

public sealed class UploadUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Both roles in one process: the same questions, answered from this node's keys, database and blob store.</summary>
public sealed class LocalTicketAuthority(TicketKeys keys, IServiceScopeFactory scopes, ChunkStore store) : ITicketAuthority
{
    public Task<ECDsa?> SigningKey(uint id, CancellationToken ct) => Task.FromResult(id == keys.Signing.Id ? keys.Signing.Key : null);

    public Task<DynamicKey?> DynamicKey(uint id, CancellationToken ct) => keys.FindDynamicAsync(id, ct);

    public async Task<TicketPushDto?> IssuedTicket(string ticketId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        return await TicketIssuer.FindIssued(scope.ServiceProvider.GetRequiredService<ParleyDbContext>(), ticketId, ct);
    }

    public async Task<Stream> OpenPicture(string contentId, CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var transfers = scope.ServiceProvider.GetRequiredService<TransferService>();
        var size = await transfers.StoredSize(contentId, ct) ?? throw new UploadUnavailableException("The picture is no longer stored.");
        return store.OpenBlob((await transfers.BlobChunkList(contentId, size, ct))!);
    }
}

/// <summary>
/// A separate upload node, reached over its node endpoints with the node key. Keys are cached; an
/// unknown key id triggers one refresh, which is how keys rotated after the last refresh are learnt.
/// </summary>
public sealed class RemoteTicketAuthority(HttpClient http) : ITicketAuthority, IDisposable
{
    private readonly ConcurrentDictionary<uint, ECDsa> _signing = new();
    private readonly ConcurrentDictionary<uint, DynamicKey> _dynamic = new();

    public async Task<ECDsa?> SigningKey(uint id, CancellationToken ct)
    {
        if (!_signing.ContainsKey(id)) await Refresh(ct);
        return _signing.GetValueOrDefault(id);
    }

    public async Task<DynamicKey?> DynamicKey(uint id, CancellationToken ct)
    {
        if (!_dynamic.ContainsKey(id)) await Refresh(ct);
        return _dynamic.GetValueOrDefault(id);
    }

    private async Task Refresh(CancellationToken ct)
    {
        var keys = await Call(() => http.GetFromJsonAsync<TicketKeysDto>("api/nodes/ticket-keys", ParleyJson.Options, ct));
        foreach (var signing in keys!.Signing)
        {
            var key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(signing.PublicKey), out _);
            if (!_signing.TryAdd(signing.Id, key)) key.Dispose();
        }
        foreach (var dynamic in keys.Dynamic)
        {
            var bytes = Convert.FromBase64String(dynamic.Key);
            var key = new DynamicKey(dynamic.Id, bytes, dynamic.CreatedAt);
            CryptographicOperations.ZeroMemory(bytes);
            if (!_dynamic.TryAdd(dynamic.Id, key)) key.Dispose();
        }
    }

    public async Task<TicketPushDto?> IssuedTicket(string ticketId, CancellationToken ct)
    {
        using var response = await Call(() => http.GetAsync($"api/nodes/tickets/{Uri.EscapeDataString(ticketId)}", ct));
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw new UploadUnavailableException($"The upload node answered {(int)response.StatusCode}.");
        return await response.Content.ReadFromJsonAsync<TicketPushDto>(ParleyJson.Options, ct);
    }

    public async Task<Stream> OpenPicture(string contentId, CancellationToken ct)
    {
        var response = await Call(() => http.GetAsync($"api/nodes/blobs/{Uri.EscapeDataString(contentId)}", HttpCompletionOption.ResponseHeadersRead, ct));
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new UploadUnavailableException($"The upload node answered {(int)response.StatusCode} for the picture.");
        }
        return await response.Content.ReadAsStreamAsync(ct);
    }

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpRequestException e)
        {
            throw new UploadUnavailableException("The upload node cannot be reached.", e);
        }
    }

    public void Dispose()
    {
        foreach (var key in _signing.Values) key.Dispose();
        foreach (var key in _dynamic.Values) key.Dispose();
    }
}
