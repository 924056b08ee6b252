namespace Parley.Core.Accounts;

public sealed record RegisterRequest(string UserName, string Password);

public sealed record UserDto(string Id, string UserName);

/// <param name="DeviceId">A device this user registered before; the new session is bound to it.</param>
public sealed record SignInRequest(string UserName, string Password, string? DeviceId = null);

public sealed record SessionDto(string Token, string UserId, string UserName, string? DeviceId, DateTimeOffset ExpiresAt);

public sealed record MeDto(string UserId, string UserName, string? DeviceId);

/// <param name="PublicKey">Base64 of the device's P-256 public key as SubjectPublicKeyInfo (what WebCrypto exports as "spki").</param>
/// <param name="Proof">Base64 ECDSA P-256/SHA-256 signature (IEEE P1363, r||s) over <see cref="DeviceKeyRules.ProofMessage"/>.</param>
public sealed record RegisterDeviceRequest(string Name, string PublicKey, string Proof);

public sealed record DeviceDto(string Id, string Name, string PublicKey, DateTimeOffset CreatedAt);
