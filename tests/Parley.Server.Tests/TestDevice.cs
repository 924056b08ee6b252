using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Parley.Core.Accounts;
using Parley.Core.Scanning.Identifier;
using Parley.Core.Transfer;
using Parley.Server.Scanning;
using Parley.Server.Storage;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// A test user's registered device key (its session is bound to it, as a client's is after <c>POST /api/devices</c>),
/// which signs local security identifiers the way a client whose first detection passed does.
/// </summary>
public sealed class TestDevice(string id, ECDsa key, RunningServer server)
{
    public string Id => id;

    public ECDsa Key => key;

    public static async Task<TestDevice> RegisterAsync(RunningServer server, HttpClient http, string userId)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
        var proof = Convert.ToBase64String(key.SignData(DeviceKeyRules.ProofMessage(userId, publicKey), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        var device = await Api.Read<DeviceDto>(await Api.PostJson(http, "/api/devices", new RegisterDeviceRequest("test device", publicKey, proof)), HttpStatusCode.Created);
        return new TestDevice(device.Id, key, server);
    }

    /// <summary>An identifier for <paramref name="contentId"/>: against the server's current library and at its clock's now unless told.</summary>
    public async Task<string> IdentifierFor(string contentId, long? libraryVersion = null, DateTimeOffset? signedAt = null)
    {
        using var scope = server.Services.CreateScope();
        var version = libraryVersion ?? (await server.Services.GetRequiredService<FeatureLibraryService>()
            .CurrentAsync(scope.ServiceProvider.GetRequiredService<ParleyDbContext>(), CancellationToken.None)).Version;
        var at = signedAt ?? server.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        return LocalSecurityIdentifier.Create(ContentId.Parse(contentId), version, at,
            bytes => key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)).Encode();
    }

    /// <summary>
    /// The request as a client sends it after its first detection passed: with this device's identifier. Requests that
    /// already carry one, sealed ones (which carry none) and those whose content id is no content id stay as they are.
    /// </summary>
    public async Task<CreateTransferRequest> Sign(CreateTransferRequest request) =>
        request.ScanIdentifier is not null || request.Sealed || !ContentId.TryParse(request.ContentId, out _)
            ? request
            : request with { ScanIdentifier = await IdentifierFor(request.ContentId) };
}
