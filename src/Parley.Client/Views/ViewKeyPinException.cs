namespace Parley.Client.Views;

/// <summary>Codes of <see cref="ViewKeyPinException"/>: the client, not the server, refused to go on.</summary>
public static class ViewClientCodes
{
    /// <summary>The server signed a play with another view key than the one pinned, or offers a key whose id does not match it.</summary>
    public const string KeyChanged = "client.view_key_changed";

    /// <summary>The server's signature over the play transcript does not verify with the pinned view key.</summary>
    public const string SignatureInvalid = "client.view_signature_invalid";

    /// <summary>The file that holds the pinned key cannot be read as one.</summary>
    public const string PinDamaged = "client.view_pin_damaged";

    /// <summary>The play's start answer does not describe the video asked for, or describes one that cannot be played.</summary>
    public const string PlayInvalid = "client.view_play_invalid";
}

/// <summary>
/// The client refused a play because it cannot trust the server's part of the key agreement: someone between the client
/// and the server (or a server whose view key was replaced) would otherwise hold the play key. <see cref="Code"/> is one
/// of <see cref="ViewClientCodes"/>.
/// </summary>
public sealed class ViewKeyPinException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
